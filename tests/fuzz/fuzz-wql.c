/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The WQL parser (wql_parse) and the query engine behind glue_request_query, over a static
 * schema whose instances come from MOF (no provider, no thread). The first byte picks:
 *   query  the rest is a whole query. A parse fails with -EBADMSG and a "query:LINE:COL:
 *          expected ..." message, which glue_request_query reports the same; a query that runs
 *          ends in 0 or one of its documented errors, with a message, and delivers only
 *          instances of its FROM class and subclasses.
 *   where  the rest is a WHERE condition W over a class the next byte picks. Where W runs, SQL's
 *          three-valued logic gives set laws that must hold: (W) AND (W) selects what W does;
 *          (W) OR <false> too, and runs without the key push-down W may use (so the get-by-key
 *          path and the filter must agree); NOT (W) selects nothing W does; all of them are
 *          within the class's instances, each delivered once.
 *   like   the rest is "text\npattern" for wql_like: % matches anything, a pattern that is the
 *          text with its wildcards bracketed matches it, _ matches exactly one code point each.
 *   assoc  the rest is the WHERE of ASSOCIATORS OF (REFERENCES OF, by the next byte) a source
 *          the next byte picks. Where it runs, its results are among those of the statement
 *          without WHERE, each once; each is of ResultClass when given (an association for
 *          REFERENCES OF, an endpoint for ASSOCIATORS OF), and an association result refers to
 *          the source.
 * The whole-query mode runs association queries too; they deliver each object once.
 */
#include <errno.h>
#include <stdbool.h>
#include <strings.h>

#include "fuzz-harness.h"
#include "glue-private.h"
#include "query-parser.h"

enum {
        MODE_QUERY,
        MODE_WHERE,
        MODE_LIKE,
        MODE_ASSOC,
        MODE_COUNT,
};

static const char schema_mof[] =
        "class Fuzz_Device {\n"
        "  [Key] string Id;\n"
        "  string Name;\n"
        "};\n"
        "class Fuzz_Disk : Fuzz_Device {\n"
        "  uint64 Size;\n"
        "  sint32 Offset;\n"
        "  real64 Temperature;\n"
        "  boolean Removable;\n"
        "  datetime Installed;\n"
        "  string Tags[];\n"
        "  uint8 Small;\n"
        "};\n"
        "class Fuzz_SSD : Fuzz_Disk {\n"
        "  uint32 Wear;\n"
        "};\n"
        "class Fuzz_Slot {\n"
        "  [Key] uint32 Bus;\n"
        "  [Key] boolean Hot;\n"
        "  [Key] sint16 Delta;\n"
        "  string Label;\n"
        "};\n"
        "instance of Fuzz_Device { Id = \"root\"; Name = \"Root device\"; };\n"
        "instance of Fuzz_Device { Id = \"\"; };\n"
        "instance of Fuzz_Disk { Id = \"sda\"; Name = \"sda\"; Size = 1000204886016; Offset = -3;\n"
        "  Temperature = 35.5; Removable = false; Installed = \"20240131120000.000000+060\";\n"
        "  Tags = {\"boot\", \"root\"}; Small = 7; };\n"
        "instance of Fuzz_Disk { Id = \"q\\\"uo\\\\te\"; Name = \"caf\303\251\"; Size = 18446744073709551615;\n"
        "  Offset = 2147483647; Temperature = -12.25; Removable = true; Small = 255; };\n"
        "instance of Fuzz_Disk { Id = \"SDA\"; Size = 0; Offset = -2147483648; };\n"
        "instance of Fuzz_SSD { Id = \"nvme0n1\"; Name = \"Fast %_[x]\"; Size = 512110190592;\n"
        "  Offset = 0; Temperature = 0.0; Removable = false; Wear = 3; Tags = {}; };\n"
        "instance of Fuzz_SSD { Id = \"12\"; Name = \"twelve\"; Wear = 4294967295; };\n"
        "instance of Fuzz_Slot { Bus = 0; Hot = false; Delta = -1; Label = \"zero\"; };\n"
        "instance of Fuzz_Slot { Bus = 4294967295; Hot = true; Delta = 32767; };\n"
        "instance of Fuzz_Slot { Bus = 12; Hot = true; Delta = -32768; Label = \"12\"; };\n"
        /* associations (static: the engine's association mode without a provider) */
        "[Association, Wired] class Fuzz_Holds { [Key] Fuzz_Device REF Holder;\n"
        "  [Key] Fuzz_Device REF Held; string Note; };\n"
        "[Association] class Fuzz_HoldsDisk : Fuzz_Holds { [Override(\"Held\")] Fuzz_Disk REF Held; };\n"
        "[Association] class Fuzz_InSlot { [Key] Fuzz_Slot REF Slot; [Key] Fuzz_Disk REF Disk; };\n"
        "instance of Fuzz_Holds { Holder = \"Fuzz_Device.Id=\\\"root\\\"\";\n"
        "  Held = \"Fuzz_Device.Id=\\\"sda\\\"\"; Note = \"by superclass\"; };\n"
        "instance of Fuzz_HoldsDisk { Holder = \"Fuzz_Device.Id=\\\"root\\\"\";\n"
        "  Held = \"Fuzz_SSD.Id=\\\"nvme0n1\\\"\"; };\n"
        "instance of Fuzz_HoldsDisk { Holder = \"Fuzz_Disk.Id=\\\"sda\\\"\";\n"
        "  Held = \"Fuzz_Disk.Id=\\\"12\\\"\"; };\n"
        "instance of Fuzz_Holds { Holder = \"Fuzz_Device.Id=\\\"root\\\"\";\n"
        "  Held = \"Fuzz_Device.Id=\\\"gone\\\"\"; Note = \"dangling\"; };\n"
        "instance of Fuzz_Holds { Holder = \"Fuzz_Disk.Id=\\\"SDA\\\"\";\n"
        "  Held = \"Fuzz_Disk.Id=\\\"sda\\\"\"; };\n"
        "instance of Fuzz_InSlot { Slot = \"Fuzz_Slot.Bus=12,Hot=TRUE,Delta=-32768\";\n"
        "  Disk = \"Fuzz_SSD.Id=\\\"12\\\"\"; };\n";

static const char *const class_names[] = { "Fuzz_Device", "Fuzz_Disk", "Fuzz_SSD", "Fuzz_Slot",
                                            "Fuzz_Holds" };
static const char *const sources[] = {
        "Fuzz_Device.Id=\"root\"", "Fuzz_Disk.Id=\"sda\"", "Fuzz_Device.Id=\"12\"",
        "Fuzz_SSD.Id=\"nvme0n1\"", "Fuzz_Slot.Bus=12,Hot=true,Delta=-32768",
        "Fuzz_Device.Id=\"gone\"", "Fuzz_Disk.Id=\"SDA\"", "Fuzz_Device.Id=\"\"",
};

static struct glue_context *fuzz_context(void)
{
        static struct glue_context *ctx; /* one schema for every input, freed at exit */
        char *error = NULL;

        if (!ctx) {
                fuzz_assert(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx) == 0);
                if (glue_context_load_mof(ctx, "fuzz-wql.mof", schema_mof, &error) < 0)
                        fprintf(stderr, "%s\n", error ? error : "no memory");
                fuzz_assert(error == NULL);
        }
        return ctx;
}

/* ---- the syntax tree ----------------------------------------------------------------------- */

/*
 * Freeing, binding and evaluating a WHERE tree recurse down it, so its depth must be bounded
 * whatever the text: the parser's limits (256 nested parentheses and NOTs, 1024 conditions)
 * allow 1024 + 256 levels; this leaves room.
 */
#define MAX_TREE_DEPTH 2048

static size_t tree_depth(const struct wql_node *node, size_t limit)
{
        size_t left, right;

        if (!node || limit == 0)
                return 0;
        left = tree_depth(node->left, limit - 1);
        right = tree_depth(node->right, limit - 1);
        return 1 + (left > right ? left : right);
}

/* ---- running queries ----------------------------------------------------------------------- */

#define MAX_RESULTS 32

struct result {
        const struct glue_class *from;
        char *paths[MAX_RESULTS];
        size_t n;
};

static int collect(struct glue_instance *inst, void *userdata)
{
        struct result *res = userdata;

        /* An association query has no FROM class: from is what its ResultClass names, or NULL. */
        fuzz_assert(!res->from || glue_class_is_a(glue_instance_get_class(inst), res->from));
        fuzz_assert(res->n < MAX_RESULTS); /* the schema has fewer instances */
        if (glue_instance_get_path(inst, &res->paths[res->n]) == 0)
                res->n++;
        return 0;
}

static void result_clear(struct result *res)
{
        for (size_t i = 0; i < res->n; i++)
                free(res->paths[i]);
        res->n = 0;
}

static bool result_has(const struct result *res, const char *path)
{
        for (size_t i = 0; i < res->n; i++)
                if (strcmp(res->paths[i], path) == 0)
                        return true;
        return false;
}

/* Has the instance a string key with an ASCII letter, that a literal may spell in another case? */
static bool key_has_letters(const char *path_text)
{
        struct glue_path *path;
        bool letters = false;

        if (glue_path_parse(path_text, &path) < 0)
                return false;
        for (size_t i = 0; i < glue_path_get_key_count(path); i++) {
                const char *value;
                bool is_string;

                glue_path_get_key_at(path, i, NULL, &value, &is_string);
                for (const char *c = value; is_string && *c; c++)
                        letters = letters || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z');
        }
        glue_path_free(path);
        return letters;
}

static bool result_within(const struct result *a, const struct result *b)
{
        for (size_t i = 0; i < a->n; i++)
                if (!result_has(b, a->paths[i]))
                        return false;
        return true;
}

static bool result_disjoint(const struct result *a, const struct result *b)
{
        for (size_t i = 0; i < a->n; i++)
                if (result_has(b, a->paths[i]))
                        return false;
        return true;
}

static void result_print(const char *what, const struct result *res)
{
        fprintf(stderr, "%s:", what);
        for (size_t i = 0; i < res->n; i++)
                fprintf(stderr, " %s", res->paths[i]);
        fprintf(stderr, "\n");
}

/* Run a query; r as glue_request_query, and the error message checked. */
static int run_query(const char *text, struct result *res)
{
        struct glue_request *req = NULL;
        struct wql_query *parsed = NULL;
        char *parse_error = NULL;
        int r, parse_r;

        if (glue_request_new(fuzz_context(), &req) < 0)
                return -ENOMEM;
        parse_r = wql_parse(text, &parsed, &parse_error);
        if (parsed)
                fuzz_assert(tree_depth(parsed->where, MAX_TREE_DEPTH + 1) <= MAX_TREE_DEPTH);
        if (parsed) {
                const struct glue_class *from = NULL;
                const char *name = parsed->association ? parsed->association->result_class.name
                                                       : parsed->class_name.name;
                fuzz_assert(!parsed->association || (parsed->select_all &&
                                                     !parsed->class_name.name));
                if (name)
                        glue_context_find_class(fuzz_context(), NULL, name, &from);
                res->from = from;
        }
        r = glue_request_query(req, text, collect, res);
        if (parse_r == -EBADMSG) {
                fuzz_assert(parse_error && strncmp(parse_error, "query:", 6) == 0);
                fuzz_assert(r == -EBADMSG || r == -ENOMEM);
                if (r == -EBADMSG)
                        fuzz_assert(strcmp(glue_request_get_error(req), parse_error) == 0);
        } else if (parse_r == 0) {
                fuzz_assert(r != -EBADMSG);
        }
        if (r < 0 && r != -ENOMEM) {
                /* association queries add a bad or absent source and unsupported keywords */
                bool assoc_error = parsed && parsed->association &&
                                   (r == -EILSEQ || r == -ENOENT || r == -ENXIO ||
                                    r == -EOPNOTSUPP);
                if (r != -EBADMSG && r != -ESRCH && r != -EINVAL && r != -EPROTO && !assoc_error)
                        fprintf(stderr, "query \"%.200s\": %d (%.200s)\n", text, r,
                                glue_request_get_error(req));
                fuzz_assert(r == -EBADMSG || r == -ESRCH || r == -EINVAL || r == -EPROTO ||
                            assoc_error);
                fuzz_assert(glue_request_get_error(req) != NULL);
                fuzz_assert(res->n == 0);
        }
        fuzz_assert(r <= 0); /* no provider can fail: the schema is static */
        /* Each instance is delivered once. */
        for (size_t i = 0; i < res->n; i++)
                for (size_t j = i + 1; j < res->n; j++)
                        fuzz_assert(strcmp(res->paths[i], res->paths[j]) != 0);
        free(parse_error);
        wql_query_free(parsed);
        glue_request_unref(req);
        return r;
}

static void fuzz_query(const char *text)
{
        struct result res = { 0 };

        run_query(text, &res);
        result_clear(&res);
}

static void fuzz_where(const char *class_name, const char *where)
{
        struct result w = { 0 }, twice = { 0 }, or_false = { 0 }, negated = { 0 }, all = { 0 };
        char *text = NULL;
        int r;

        if (asprintf(&text, "SELECT * FROM %s WHERE %s", class_name, where) < 0)
                return;
        r = run_query(text, &w);
        free(text);
        if (r < 0)
                goto out;

        /* The wrapped forms nest one or two levels deeper: the depth limit may refuse them. */
        struct {
                const char *before, *between;
                bool twice;
                struct result *res;
        } forms[] = {
                { "(", ") AND (", true, &twice },          /* (W) AND (W) */
                { "(", ") OR __CLASS = '-'", false, &or_false }, /* (W) OR false */
                { "NOT (", ")", false, &negated },          /* NOT (W) */
        };
        for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
                if (asprintf(&text, "SELECT * FROM %s WHERE %s%s%s%s%s", class_name, forms[i].before,
                             where, forms[i].between, forms[i].twice ? where : "",
                             forms[i].twice ? ")" : "") < 0)
                        goto out;
                r = run_query(text, forms[i].res);
                free(text);
                if (r == -EBADMSG || r == -ENOMEM)
                        goto out;
                fuzz_assert(r == 0);
        }
        if (asprintf(&text, "SELECT * FROM %s", class_name) < 0)
                goto out;
        r = run_query(text, &all);
        free(text);
        if (r < 0)
                goto out;

        /*
         * String comparisons in WHERE ignore ASCII case (as WMI's), but a key pushed down is
         * read as written ("Id = 'sda'" gets Id="sda", not Id="SDA", and does not enumerate
         * when that finds nothing: see test_key_push_down). So W may miss what (W) OR false
         * finds, but only instances with a letter in a string key.
         */
        bool same_twice = result_within(&w, &twice) && result_within(&twice, &w);
        bool same_or_false = result_within(&w, &or_false);
        for (size_t i = 0; i < or_false.n; i++)
                same_or_false = same_or_false && (result_has(&w, or_false.paths[i]) ||
                                                  key_has_letters(or_false.paths[i]));
        if (!same_twice || !same_or_false) {
                fprintf(stderr, "FROM %s WHERE %s\n", class_name, where);
                result_print("W", &w);
                result_print("(W) AND (W)", &twice);
                result_print("(W) OR false", &or_false);
        }
        fuzz_assert(same_twice);
        fuzz_assert(same_or_false);
        fuzz_assert(result_disjoint(&w, &negated));
        fuzz_assert(result_within(&w, &all));
        fuzz_assert(result_within(&negated, &all));
out:
        result_clear(&w);
        result_clear(&twice);
        result_clear(&or_false);
        result_clear(&negated);
        result_clear(&all);
}

/* ---- ASSOCIATORS OF, REFERENCES OF ---------------------------------------------------------- */

/* Does the association (its instance path) refer to the object named by `source`? Its keys
 * hold paths; the source is resolved by the glue, so compare against the instance it finds. */
static bool association_names(const char *assoc_path, const char *source_path)
{
        struct glue_request *req = NULL;
        struct glue_instance *source = NULL;
        struct glue_path *path;
        bool names = false;

        if (glue_path_parse(assoc_path, &path) < 0)
                return false;
        if (glue_request_new(fuzz_context(), &req) == 0 &&
            glue_request_get(req, source_path, &source) == 0) {
                const struct glue_class *cls = glue_instance_get_class(source);
                const struct glue_class *assoc;

                fuzz_assert(glue_context_find_class(fuzz_context(), NULL,
                                                    glue_path_get_class(path), &assoc) == 0);
                for (size_t i = 0; i < glue_path_get_key_count(path) && !names; i++) {
                        const struct glue_property *prop;
                        const char *key, *value;
                        char *source_text = NULL;

                        glue_path_get_key_at(path, i, &key, &value, NULL);
                        fuzz_assert(glue_class_find_property(assoc, key, &prop, NULL) == 0);
                        if (glue_instance_get_path(source, &source_text) == 0)
                                names = glue_reference_equal(prop, value, source_text) == 1 &&
                                        glue_class_is_a(cls, glue_property_get_reference_class(prop));
                        free(source_text);
                }
        }
        glue_instance_unref(source);
        glue_request_unref(req);
        glue_path_free(path);
        return names;
}

static void fuzz_assoc(bool references, const char *source, const char *where)
{
        const char *statement = references ? "REFERENCES" : "ASSOCIATORS";
        struct result w = { 0 }, all = { 0 };
        char *text = NULL;
        int r;

        if (asprintf(&text, "%s OF {%s}", statement, source) < 0)
                return;
        r = run_query(text, &all);
        free(text);
        fuzz_assert(r == 0 || r == -ENOENT || r == -ENOMEM);
        if (r < 0)
                goto out;
        if (asprintf(&text, "%s OF {%s} WHERE %s", statement, source, where) < 0)
                goto out;
        r = run_query(text, &w);
        free(text);
        if (r < 0)
                goto out;
        fuzz_assert(result_within(&w, &all));
        for (size_t i = 0; references && i < all.n; i++)
                fuzz_assert(association_names(all.paths[i], source));
out:
        result_clear(&w);
        result_clear(&all);
}

/* ---- LIKE ---------------------------------------------------------------------------------- */

static size_t code_points(const char *s)
{
        size_t n = 0;

        for (; *s; s++)
                n += ((unsigned char)*s & 0xc0) != 0x80;
        return n;
}

static void fuzz_like(const char *input)
{
        const char *newline = strchr(input, '\n');
        char *text, *pattern, *literal, *underscores;
        size_t n;

        /* Stored strings are valid UTF-8: the matcher is given nothing else. */
        text = utf8_sanitize(input, newline ? (size_t)(newline - input) : strlen(input));
        pattern = utf8_sanitize(newline ? newline + 1 : "", newline ? strlen(newline + 1) : 0);
        if (!text || !pattern)
                goto out;
        wql_like(text, pattern); /* anything goes, as long as it returns */

        fuzz_assert(wql_like(text, "%"));
        fuzz_assert(wql_like(text, "%%"));

        /* The text with % _ [ bracketed is a pattern that matches it and only it. */
        literal = malloc(3 * strlen(text) + 3);
        if (!literal)
                goto out;
        char *o = literal;
        for (const char *c = text; *c; c++) {
                if (*c == '%' || *c == '_' || *c == '[') {
                        *o++ = '[';
                        *o++ = *c;
                        *o++ = ']';
                } else
                        *o++ = *c;
        }
        *o = '\0';
        fuzz_assert(wql_like(text, literal));
        strcat(literal, "_");
        fuzz_assert(!wql_like(text, literal));
        free(literal);

        n = code_points(text);
        underscores = malloc(n + 2);
        if (underscores) {
                memset(underscores, '_', n);
                underscores[n] = '\0';
                fuzz_assert(wql_like(text, underscores));
                underscores[n] = '_';
                underscores[n + 1] = '\0';
                fuzz_assert(!wql_like(text, underscores));
                free(underscores);
        }
out:
        free(text);
        free(pattern);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text;

        if (size < 2)
                return 0;
        text = fuzz_string(data + 2, size - 2);
        if (!text)
                return 0;
        switch (data[0] % MODE_COUNT) {
        case MODE_QUERY: fuzz_query(text); break;
        case MODE_WHERE:
                fuzz_where(class_names[data[1] % (sizeof(class_names) / sizeof(class_names[0]))],
                           text);
                break;
        case MODE_LIKE: fuzz_like(text); break;
        case MODE_ASSOC:
                fuzz_assoc(data[1] & 0x80,
                           sources[(data[1] & 0x7f) % (sizeof(sources) / sizeof(sources[0]))], text);
                break;
        }
        free(text);
        return 0;
}
