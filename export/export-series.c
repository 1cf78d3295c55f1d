/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One instance's series: its label values escaped once, each label set its families use
 * formatted once, then one line per family that has a value. Everything an instance exports is
 * decided here, so that labels that come from elsewhere later (the device a sensor measures,
 * from an association) are added in one place.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

static int reserve_array(size_t **array, size_t *n, size_t want)
{
        size_t *grown;

        if (*n >= want)
                return 0;
        grown = realloc(*array, want * sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        *array = grown;
        *n = want;
        return 0;
}

static int put_value_text(struct export_buffer *buf, const struct glue_value *value, size_t i)
{
        char text[64];

        switch (value->type) {
        case GLUE_TYPE_BOOLEAN:
                return export_buffer_puts(buf, (value->is_array ? value->v.b_array[i] : value->v.b) ?
                                          "true" : "false");
        case GLUE_TYPE_STRING:
        case GLUE_TYPE_DATETIME:
        case GLUE_TYPE_REFERENCE: /* an object path, as text */
                return export_buffer_put_label_value(buf, value->is_array ? value->v.str_array[i] :
                                                     value->v.str);
        case GLUE_TYPE_REAL32:
        case GLUE_TYPE_REAL64:
                export_format_double(value->is_array ? value->v.r_array[i] : value->v.r,
                                     value->type == GLUE_TYPE_REAL32, text, sizeof(text));
                return export_buffer_puts(buf, text);
        default:
                if (glue_type_is_signed(value->type))
                        snprintf(text, sizeof(text), "%" PRId64,
                                 value->is_array ? value->v.s_array[i] : value->v.s);
                else
                        snprintf(text, sizeof(text), "%" PRIu64,
                                 value->is_array ? value->v.u_array[i] : value->v.u);
                return export_buffer_puts(buf, text);
        }
}

/* The escaped text of every label of the class, "" where the instance has no value; a list (of
 * names, say) reads best as one comma-separated value. */
static int format_values(const struct export_class *ec, const struct glue_instance *inst,
                         struct export_series *series)
{
        int r = reserve_array(&series->value_ends, &series->n_value_ends, ec->n_labels + 1);

        series->values.len = 0;
        for (size_t l = 0; l < ec->n_labels && r >= 0; l++) {
                const struct glue_value *value;

                if (glue_instance_get_value_at(inst, ec->labels[l].property_index, &value) >= 0)
                        for (size_t j = 0; j < (value->is_array ? value->count : 1) && r >= 0; j++) {
                                if (j > 0)
                                        r = export_buffer_puts(&series->values, ",");
                                if (r >= 0)
                                        r = put_value_text(&series->values, value, j);
                        }
                series->value_ends[l] = series->values.len;
        }
        return r;
}

static const char *value_at(const struct export_series *series, size_t l, size_t *len)
{
        size_t start = l == 0 ? 0 : series->value_ends[l - 1];

        *len = series->value_ends[l] - start;
        return series->values.data ? series->values.data + start : "";
}

/* {name="value",...} with every name of the label set, formatted once per instance. */
static int format_set(const struct export_group *group, const struct export_class *ec,
                      size_t s, struct export_series *series)
{
        const struct export_label_set *set = &group->label_sets[s];
        struct export_buffer *buf = &series->sets;
        bool first = true;
        int r = 0;

        series->set_starts[s] = buf->len;
        for (size_t i = 0; i < set->n_names && r >= 0; i++) {
                size_t l = ec->slots[s][i], len = 0;
                const char *text = l == SIZE_MAX ? "" : value_at(series, l, &len);

                r = export_buffer_printf(buf, "%s%s=\"", first ? "{" : ",", set->names[i]);
                if (r >= 0)
                        r = export_buffer_append(buf, text, len);
                if (r >= 0)
                        r = export_buffer_puts(buf, "\"");
                first = false;
        }
        if (r >= 0 && set->with_class)
                r = export_buffer_printf(buf, "%s" "class=\"%s\"", first ? "{" : ",",
                                         glue_class_get_name(ec->cls));
        if (r >= 0 && (set->n_names > 0 || set->with_class))
                r = export_buffer_puts(buf, "}");
        series->set_ends[s] = buf->len;
        return r;
}

/*
 * Divide the decimal text of a number by 10^digits, exactly: "45.3" -> "45.3e-2", which reads
 * back as the double nearest 0.453. Dividing the double by 100 instead would give the double
 * nearest 45.29999999999999715/100, which may print as 0.45299999999999996.
 */
static void shift_decimal(char *buf, size_t size, int digits)
{
        char mantissa[64], shifted[128], *e;
        long exponent = 0;

        if (strcmp(buf, "NaN") == 0 || strcmp(buf, "+Inf") == 0 || strcmp(buf, "-Inf") == 0)
                return;
        snprintf(mantissa, sizeof(mantissa), "%s", buf);
        e = strchr(mantissa, 'e');
        if (e) {
                exponent = strtol(e + 1, NULL, 10);
                *e = '\0';
        }
        snprintf(shifted, sizeof(shifted), "%se%ld", mantissa, exponent - digits);
        export_format_double(strtod(shifted, NULL), false, buf, size);
}

/* The sample value of a metric property, or false if it has none (NULL, not fetched). */
static bool metric_value_text(const struct export_family *family, size_t property_index,
                              const struct glue_instance *inst, char *buf, size_t size)
{
        const struct glue_value *value;

        if (property_index == SIZE_MAX) {
                snprintf(buf, size, "1");
                return true;
        }
        if (glue_instance_get_value_at(inst, property_index, &value) < 0 || value->is_array)
                return false;
        if (value->type == GLUE_TYPE_BOOLEAN)
                snprintf(buf, size, "%d", value->v.b ? 1 : 0);
        else if (glue_type_is_real(value->type))
                export_format_double(value->v.r, value->type == GLUE_TYPE_REAL32, buf, size);
        else if (glue_type_is_signed(value->type))
                snprintf(buf, size, "%" PRId64, value->v.s);
        else
                snprintf(buf, size, "%" PRIu64, value->v.u);
        if (family->as_ratio)
                shift_decimal(buf, size, 2);
        return true;
}

static int append_u32(struct export_buffer *buf, uint32_t v)
{
        return export_buffer_append(buf, &v, sizeof(v));
}

int export_series_format(const struct export_group *group, size_t class_index,
                         const struct glue_instance *inst, struct export_series *series)
{
        const struct export_class *ec = &group->classes[class_index];
        int r;

        series->record.len = 0;
        series->key.len = 0;
        series->sets.len = 0;
        r = format_values(ec, inst, series);
        if (r >= 0 && series->n_sets < group->n_label_sets) {
                size_t *starts = realloc(series->set_starts, group->n_label_sets * sizeof(*starts));
                size_t *ends = starts ? realloc(series->set_ends,
                                                group->n_label_sets * sizeof(*ends)) : NULL;

                if (starts)
                        series->set_starts = starts;
                if (ends) {
                        series->set_ends = ends;
                        series->n_sets = group->n_label_sets;
                } else
                        r = -ENOMEM;
        }
        for (size_t s = 0; s < group->n_label_sets && r >= 0; s++)
                series->set_starts[s] = SIZE_MAX;

        /* The sort key: the key labels' text as it is written, so that two devices whose keys
         * escape alike are caught as the one series they would be. */
        for (size_t l = 0, keys = 0; l < ec->n_labels && r >= 0; l++) {
                size_t len;
                const char *text;

                if (!ec->labels[l].is_key)
                        continue;
                text = value_at(series, l, &len);
                if (keys++ > 0)
                        r = export_buffer_puts(&series->key, "\x01");
                if (r >= 0)
                        r = export_buffer_append(&series->key, text, len);
        }
        if (r >= 0 && !series->key.data)
                r = export_buffer_puts(&series->key, "");

        for (size_t m = 0; m < ec->n_members && r >= 0; m++) {
                const struct export_member *member = &ec->members[m];
                const struct export_family *family = &group->families[member->family];
                size_t s = family->label_set, header, start;
                char value[64];

                if (!metric_value_text(family, member->property_index, inst, value, sizeof(value)))
                        continue;
                if (series->set_starts[s] == SIZE_MAX)
                        r = format_set(group, ec, s, series);
                header = series->record.len;
                if (r >= 0)
                        r = append_u32(&series->record, (uint32_t)member->family);
                if (r >= 0)
                        r = append_u32(&series->record, 0);
                start = series->record.len;
                if (r >= 0)
                        r = export_buffer_puts(&series->record, family->name);
                if (r >= 0 && series->set_ends[s] > series->set_starts[s])
                        r = export_buffer_append(&series->record,
                                                 series->sets.data + series->set_starts[s],
                                                 series->set_ends[s] - series->set_starts[s]);
                if (r >= 0)
                        r = export_buffer_printf(&series->record, " %s\n", value);
                if (r >= 0) {
                        uint32_t len = (uint32_t)(series->record.len - start);

                        memcpy(series->record.data + header + sizeof(uint32_t), &len, sizeof(len));
                }
        }
        return r;
}

void export_series_free(struct export_series *series)
{
        export_buffer_free(&series->record);
        export_buffer_free(&series->key);
        export_buffer_free(&series->values);
        export_buffer_free(&series->sets);
        free(series->value_ends);
        free(series->set_starts);
        free(series->set_ends);
        *series = (struct export_series) { 0 };
}
