/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libglue: a CIM/WMI-style provider framework for Linux hardware.
 *
 * One context holds the schema (classes loaded from MOF), the providers bound to those classes
 * and the options. A request enumerates a class and every class derived from it, streaming each
 * instance to a callback the moment its provider posts it.
 *
 * Conventions (libabc, sd-device):
 *  - functions return int: >= 0 on success, a negative errno on failure; results come back
 *    through a trailing `ret` pointer, which is left untouched on failure;
 *  - objects are reference counted; every _unref(NULL) is a no-op and returns NULL;
 *  - "borrowed" means the caller must not free it and it stays valid as long as the object it
 *    came from; "owned" means the caller frees it (free() for char *, the named _unref otherwise);
 *  - class and property names compare case-insensitively, as in CIM;
 *  - the library never prints, exits or aborts: it logs through the context's log function
 *    (silent by default);
 *  - a context may be used from several threads at once once its schema and providers are set
 *    up; a provider's operations may be called concurrently from several threads.
 *
 * Error codes and the WBEM/MI codes that a WMI user knows are listed at glue_strerror().
 */
#ifndef LIBGLUE_H
#define LIBGLUE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct glue_context;
struct glue_class;
struct glue_property;
struct glue_instance;
struct glue_path;
struct glue_request;
struct glue_call;

/* ---------------------------------------------------------------------------------------------
 * Errors
 * -------------------------------------------------------------------------------------------*/

/*
 * glue_strerror: a one-line English description of a libglue return code (0 or negative errno).
 * Borrowed, static. Unknown codes fall back to strerror-like text.
 *
 * errno          meaning in libglue                            WBEM (WMI COM)                  MI
 * 0              success                                        WBEM_S_NO_ERROR      0x00000000  OK 0
 * -ENOENT        no such instance (or property not fetched)     WBEM_E_NOT_FOUND     0x80041002  NOT_FOUND 6
 * -ESRCH         no such class                                  WBEM_E_INVALID_CLASS 0x80041010  INVALID_CLASS 5
 * -ENXIO         no such namespace                              WBEM_E_INVALID_NAMESPACE 0x8004100E  INVALID_NAMESPACE 3
 * -EBADMSG       malformed query                                WBEM_E_INVALID_QUERY 0x80041017  INVALID_QUERY 15
 * -ENOEXEC       malformed MOF                                  WBEM_E_INVALID_SYNTAX 0x80041021 FAILED 1
 * -EILSEQ        malformed object path                          WBEM_E_INVALID_OBJECT_PATH 0x8004103A  INVALID_PARAMETER 4
 * -EINVAL        invalid argument (unknown property name, ...)  WBEM_E_INVALID_PARAMETER 0x80041008  INVALID_PARAMETER 4
 * -EPROTO        value of the wrong type for the property       WBEM_E_TYPE_MISMATCH 0x80041005  TYPE_MISMATCH 13
 * -ERANGE        value out of range for the property's type     WBEM_E_TYPE_MISMATCH 0x80041005  TYPE_MISMATCH 13
 * -ENODATA       property is NULL                               WBEM_E_NOT_AVAILABLE 0x80041009  NOT_FOUND 6
 * -EEXIST        class or provider already registered           WBEM_E_ALREADY_EXISTS 0x80041019 ALREADY_EXISTS 11
 * -EOPNOTSUPP    the provider cannot do that operation          WBEM_E_PROVIDER_NOT_CAPABLE 0x80041024  NOT_SUPPORTED 7
 * -ENOPKG        no provider registered for a dynamic class     WBEM_E_PROVIDER_NOT_FOUND 0x80041011  NOT_SUPPORTED 7
 * -ECANCELED     the caller stopped the request                 WBEM_E_CALL_CANCELLED 0x80041032 FAILED 1
 * -ETIMEDOUT     the request's deadline passed                  WBEM_E_TIMED_OUT     0x80043001  FAILED 1
 * -EBUSY         provider not started: workers of earlier       WBEM_E_SERVER_TOO_BUSY 0x80041045 FAILED 1
 *                requests are still stuck in it past their deadline
 * -ENOMEM        out of memory                                  WBEM_E_OUT_OF_MEMORY 0x80041006  SERVER_LIMITS_EXCEEDED 27
 * -EACCES/-EPERM permission denied                              WBEM_E_ACCESS_DENIED 0x80041003  ACCESS_DENIED 2
 * -EIO and other provider failures                              WBEM_E_PROVIDER_FAILURE 0x80041004  FAILED 1
 */
const char *glue_strerror(int err);
/* The WBEM_E_* name and HRESULT value for a return code; borrowed, static. */
const char *glue_wbem_name(int err);
uint32_t glue_wbem_code(int err);
/* The MI_RESULT_* value (DMTF CIM status code) for a return code. */
unsigned glue_mi_code(int err);

/* ---------------------------------------------------------------------------------------------
 * Values
 * -------------------------------------------------------------------------------------------*/

enum glue_type {
        GLUE_TYPE_BOOLEAN = 1,
        GLUE_TYPE_SINT8,
        GLUE_TYPE_UINT8,
        GLUE_TYPE_SINT16,
        GLUE_TYPE_UINT16,
        GLUE_TYPE_SINT32,
        GLUE_TYPE_UINT32,
        GLUE_TYPE_SINT64,
        GLUE_TYPE_UINT64,
        GLUE_TYPE_REAL32,
        GLUE_TYPE_REAL64,
        GLUE_TYPE_STRING,
        GLUE_TYPE_DATETIME, /* CIM datetime string, "yyyymmddHHMMSS.mmmmmmsUUU" or an interval */
        /* A reference (MOF `ClassName REF Name`): an object path naming an instance, held as
         * its canonical text in v.str (see "References" below). */
        GLUE_TYPE_REFERENCE,
};

/* The MOF spelling of a type ("uint32", "string", "ref"); borrowed, static; NULL if unknown. */
const char *glue_type_name(enum glue_type type);
bool glue_type_is_signed(enum glue_type type);
bool glue_type_is_unsigned(enum glue_type type);
bool glue_type_is_real(enum glue_type type);
/* The value is text in v.str (v.str_array): STRING, DATETIME or REFERENCE (an object path, so
 * that code written before references existed prints them as the text they are). */
bool glue_type_is_string(enum glue_type type);

/*
 * A read-only view of a typed value: a property value or a qualifier value. Scalars live in the
 * union; arrays point to `count` elements of the matching C type (bool, int64_t, uint64_t,
 * double, const char *). Strings are valid UTF-8, NUL-terminated. Borrowed from the object it
 * came from.
 */
struct glue_value {
        enum glue_type type;
        bool is_array;
        size_t count;
        union {
                bool b;
                int64_t s;
                uint64_t u;
                double r;
                const char *str;
                const bool *b_array;
                const int64_t *s_array;
                const uint64_t *u_array;
                const double *r_array;
                const char *const *str_array;
        } v;
};

/* ---------------------------------------------------------------------------------------------
 * Context
 * -------------------------------------------------------------------------------------------*/

enum {
        /* Start without the built-in schema and providers (tests, agents with their own). */
        GLUE_CONTEXT_EMPTY = 1u << 0,
};

/*
 * glue_context_new: a new context holding the built-in schema (the CIM base classes and the
 * hwglue classes) and the built-in providers (block devices, PCI functions, hwmon sensors),
 * unless flags has GLUE_CONTEXT_EMPTY. Owned; one reference.
 */
int glue_context_new(unsigned flags, struct glue_context **ret);
struct glue_context *glue_context_ref(struct glue_context *ctx);
struct glue_context *glue_context_unref(struct glue_context *ctx);

/*
 * Logging, with syslog priorities (LOG_ERR = 3 ... LOG_DEBUG = 7). Silent until a log function
 * is set; the priority defaults to LOG_ERR. The function may be called from any thread.
 */
typedef void (*glue_log_fn)(void *userdata, int priority, const char *file, int line,
                            const char *fn, const char *format, va_list args);
void glue_context_set_log_fn(struct glue_context *ctx, glue_log_fn fn, void *userdata);
void glue_context_set_log_priority(struct glue_context *ctx, int priority);
int glue_context_get_log_priority(const struct glue_context *ctx);

/*
 * Options read by providers: string keys and values, copied. Known keys:
 *   "sysroot"         root directory under which providers read sys/ and run/ (default "/")
 *   "sensors.config"  libsensors configuration file; "" for none (default: the system one)
 *   "pci.ids"         path of pci.ids (default: libpci's)
 * Set them before the first request. glue_context_get_option returns a borrowed string or NULL.
 */
int glue_context_set_option(struct glue_context *ctx, const char *key, const char *value);
const char *glue_context_get_option(const struct glue_context *ctx, const char *key);

/*
 * Load classes and static instances from MOF text or a file into the context's schema. On a
 * syntax or semantic error nothing of that text is added, the return is -ENOEXEC (-ENOENT etc.
 * for an unreadable file), and *ret_error (if not NULL) receives an owned message of the form
 * "file:line:col: message".
 */
int glue_context_load_mof(struct glue_context *ctx, const char *name, const char *text,
                          char **ret_error);
int glue_context_load_mof_file(struct glue_context *ctx, const char *path, char **ret_error);

/* ---------------------------------------------------------------------------------------------
 * Schema: classes and properties (borrowed from the context, valid while it lives)
 * -------------------------------------------------------------------------------------------*/

#define GLUE_DEFAULT_NAMESPACE "root/cimv2"

/* Look a class up by name; namespace NULL means GLUE_DEFAULT_NAMESPACE. -ESRCH if unknown,
 * -ENXIO if the namespace holds no class at all. */
int glue_context_find_class(const struct glue_context *ctx, const char *name_space,
                            const char *name, const struct glue_class **ret);
/* All classes of all namespaces, in load order (a superclass always before its subclasses). */
size_t glue_context_get_class_count(const struct glue_context *ctx);
const struct glue_class *glue_context_get_class(const struct glue_context *ctx, size_t index);

const char *glue_class_get_name(const struct glue_class *cls);
const char *glue_class_get_namespace(const struct glue_class *cls);
const struct glue_class *glue_class_get_superclass(const struct glue_class *cls); /* or NULL */
bool glue_class_is_abstract(const struct glue_class *cls);
/* The provider name serving the class (own or inherited Provider qualifier), or NULL (static). */
const char *glue_class_get_provider(const struct glue_class *cls);
/* An association class (qualifier Association, own or inherited): its instances relate objects
 * through two or more REF properties (glue_property_get_reference_class). */
bool glue_class_is_association(const struct glue_class *cls);
/* True if cls is ancestor or equal to cls. */
bool glue_class_is_a(const struct glue_class *cls, const struct glue_class *ancestor);
/* The direct subclasses, in load order. */
size_t glue_class_get_subclass_count(const struct glue_class *cls);
const struct glue_class *glue_class_get_subclass(const struct glue_class *cls, size_t index);

/* Class qualifiers, own and inherited (Description, Abstract, Provider, ...). A qualifier with
 * no value ([Abstract]) has a boolean true value. -ENOENT if absent. */
size_t glue_class_get_qualifier_count(const struct glue_class *cls);
int glue_class_get_qualifier_at(const struct glue_class *cls, size_t index, const char **ret_name,
                                const struct glue_value **ret_value);
int glue_class_get_qualifier(const struct glue_class *cls, const char *name,
                             const struct glue_value **ret);

/* Properties, inherited ones first, in declaration order; an overriding property takes the
 * place of the one it overrides. */
size_t glue_class_get_property_count(const struct glue_class *cls);
const struct glue_property *glue_class_get_property(const struct glue_class *cls, size_t index);
/* -EINVAL if the class has no such property; *ret_index may be NULL. */
int glue_class_find_property(const struct glue_class *cls, const char *name,
                             const struct glue_property **ret, size_t *ret_index);
size_t glue_class_get_key_count(const struct glue_class *cls);

const char *glue_property_get_name(const struct glue_property *prop);
enum glue_type glue_property_get_type(const struct glue_property *prop);
bool glue_property_is_array(const struct glue_property *prop);
bool glue_property_is_key(const struct glue_property *prop);
/* Qualifier Expensive: the property costs a lot to read (a walk of config space, a probe of
 * the device). A hint for callers choosing properties: front ends leave it out of their
 * default columns. A request that lists its properties reads it only if it names it, as any
 * other; a request for all properties (no list, as SELECT *) reads it too. */
bool glue_property_is_expensive(const struct glue_property *prop);
/* For a REF property (type GLUE_TYPE_REFERENCE), the class its values name objects of, as the
 * MOF declares it (`CIM_Sensor REF Antecedent`: CIM_Sensor); NULL for any other property. */
const struct glue_class *glue_property_get_reference_class(const struct glue_property *prop);
/* The class that declared (or last overrode) the property. */
const struct glue_class *glue_property_get_class_origin(const struct glue_property *prop);
/* The default value from the MOF, or NULL. */
const struct glue_value *glue_property_get_default(const struct glue_property *prop);
size_t glue_property_get_qualifier_count(const struct glue_property *prop);
int glue_property_get_qualifier_at(const struct glue_property *prop, size_t index,
                                   const char **ret_name, const struct glue_value **ret_value);
int glue_property_get_qualifier(const struct glue_property *prop, const char *name,
                                const struct glue_value **ret);

/* ---------------------------------------------------------------------------------------------
 * Instances: a typed property bag of one class
 *
 * Each property is in one of three states: not fetched (never set: a partial instance), NULL
 * (looked at, no value), or set. Setters check the name against the class (-EINVAL), the type
 * (-EPROTO: set_uint on a string property) and the range (-ERANGE: 300 into a uint8), and copy
 * what they are given. A string that is not valid UTF-8 is stored with each bad byte replaced by
 * U+FFFD, and embedded NULs end it, so every stored string is printable by every front end.
 * -------------------------------------------------------------------------------------------*/

int glue_instance_new(const struct glue_class *cls, struct glue_instance **ret);
struct glue_instance *glue_instance_ref(struct glue_instance *inst);
struct glue_instance *glue_instance_unref(struct glue_instance *inst);
const struct glue_class *glue_instance_get_class(const struct glue_instance *inst);

int glue_instance_set_null(struct glue_instance *inst, const char *name);
int glue_instance_set_bool(struct glue_instance *inst, const char *name, bool value);
int glue_instance_set_sint(struct glue_instance *inst, const char *name, int64_t value);
/* set_uint also fits a signed property when the value is in range. */
int glue_instance_set_uint(struct glue_instance *inst, const char *name, uint64_t value);
int glue_instance_set_real(struct glue_instance *inst, const char *name, double value);
/* For string and datetime properties; a NULL value sets NULL. len is the byte length of the
 * value, which need not be NUL-terminated (for attribute files as read). */
int glue_instance_set_string(struct glue_instance *inst, const char *name, const char *value);
int glue_instance_set_string_len(struct glue_instance *inst, const char *name, const char *value,
                                 size_t len);
int glue_instance_set_stringf(struct glue_instance *inst, const char *name, const char *format,
                              ...) __attribute__((format(printf, 3, 4)));
/* Any type, scalar or array, from a value view (converted where lossless). */
int glue_instance_set_value(struct glue_instance *inst, const char *name,
                            const struct glue_value *value);
int glue_instance_set_string_array(struct glue_instance *inst, const char *name,
                                   const char *const *values, size_t count);
int glue_instance_set_uint_array(struct glue_instance *inst, const char *name,
                                 const uint64_t *values, size_t count);

/*
 * Getters: 0 and the value; -ENODATA if NULL; -ENOENT if not fetched; -EINVAL if the class has
 * no such property; -EPROTO if the typed getter does not fit the type (get_uint on a string).
 * Returned pointers are borrowed from the instance.
 */
int glue_instance_get_value(const struct glue_instance *inst, const char *name,
                            const struct glue_value **ret);
/* The same by property index (glue_class_get_property order), for fast iteration. */
int glue_instance_get_value_at(const struct glue_instance *inst, size_t index,
                               const struct glue_value **ret);
int glue_instance_get_bool(const struct glue_instance *inst, const char *name, bool *ret);
int glue_instance_get_sint(const struct glue_instance *inst, const char *name, int64_t *ret);
int glue_instance_get_uint(const struct glue_instance *inst, const char *name, uint64_t *ret);
int glue_instance_get_real(const struct glue_instance *inst, const char *name, double *ret);
int glue_instance_get_string(const struct glue_instance *inst, const char *name,
                             const char **ret);

/* The instance's object path, 'Class.Key1="v",Key2=3' (owned). -EINVAL if a key is unset. */
int glue_instance_get_path(const struct glue_instance *inst, char **ret);

/*
 * References: the value of a REF property is the object path of the instance it names, kept in
 * canonical form so that it prints, compares and reads back the same whoever set it:
 *  - the class as the schema spells it, which must be the property's reference class, a class
 *    derived from it, or one it derives from (a superclass path names an object of the
 *    reference class with those keys); no namespace: a reference names an object of its own
 *    namespace (a path that gives another is refused);
 *  - every key of that class once, in the class's key order, named as the schema spells it,
 *    each value as glue_instance_get_path() writes it: strings quoted, integers in decimal,
 *    booleans TRUE/FALSE, references (keys of an association) canonical in turn;
 * so the canonical text of a reference to an instance is that instance's glue_instance_get_path().
 *
 * The setters validate and store that canonical text (owned copy): -EINVAL if the class has no
 * such property, -EPROTO if it is no REF property or the path names a class that is none of the
 * above, -EILSEQ if the text is no object path or its keys are not the class's keys. path_text
 * NULL sets NULL. glue_instance_set_string() and glue_instance_set_value() on a REF property do
 * the same. The getter gives the canonical text, borrowed from the instance; as the other
 * getters it returns -ENODATA, -ENOENT, -EINVAL, or -EPROTO for a property that is no REF.
 */
int glue_instance_set_reference(struct glue_instance *inst, const char *name,
                                const char *path_text);
int glue_instance_set_reference_path(struct glue_instance *inst, const char *name,
                                     const struct glue_path *path);
int glue_instance_get_reference(const struct glue_instance *inst, const char *name,
                                const char **ret);
/*
 * Do two values of the REF property prop name the same object? 1 if so, 0 if not, or a negative
 * errno as glue_instance_set_reference() gives for either text (-EINVAL if prop is no REF).
 * Same object: the same keys (names case-insensitively, values exactly) and classes one of
 * which is or derives from the other, since a path naming a superclass names the object of a
 * subclass that has those keys (as glue_request_get() finds it). Two paths naming two
 * different subclasses are different objects, even with the same keys.
 */
int glue_reference_equal(const struct glue_property *prop, const char *a, const char *b);

/* ---------------------------------------------------------------------------------------------
 * Object paths: [namespace:]Class[.Key="value"[,Key2=3]] or Class=@ (singleton)
 *
 * Namespaces may use / or \ and may start with \\host\ (the host is kept and ignored). String
 * key values are double-quoted with \" and \\ escapes; numbers and true/false are bare. A key
 * that is a reference (the keys of an association) is a string holding the other object's
 * path, its quotes escaped in turn:
 *   Linux_AssociatedSensor.Antecedent="Linux_Sensor.DeviceID=\"nvme-pci-0100/temp1\"",
 *                          Dependent="Linux_NVMeNamespace.DeviceID=\"nvme0n1\""
 * -------------------------------------------------------------------------------------------*/

/* -EILSEQ on a malformed path. Owned. */
int glue_path_parse(const char *text, struct glue_path **ret);
void glue_path_free(struct glue_path *path);
const char *glue_path_get_namespace(const struct glue_path *path); /* NULL if none given */
const char *glue_path_get_class(const struct glue_path *path);
size_t glue_path_get_key_count(const struct glue_path *path);
/* The key's name and its value as text (unquoted, unescaped); is_string tells "3" from 3. */
int glue_path_get_key_at(const struct glue_path *path, size_t index, const char **ret_name,
                         const char **ret_value, bool *ret_is_string);
/* The value text of the named key, or NULL. */
const char *glue_path_get_key(const struct glue_path *path, const char *name);
/* Canonical text form (owned). */
int glue_path_to_string(const struct glue_path *path, char **ret);

/* ---------------------------------------------------------------------------------------------
 * Requests (caller side): options, enumeration, get, query, and the outcome per provider
 * -------------------------------------------------------------------------------------------*/

enum {
        /* Only instances of exactly the class, that no subclass overrides (rule 3). */
        GLUE_REQUEST_SHALLOW = 1u << 0,
        /* Only key properties are wanted. */
        GLUE_REQUEST_KEYS_ONLY = 1u << 1,
};

/* Return value of a glue_instance_fn that stops the request. */
#define GLUE_STOP 1

/*
 * Called on the caller's thread, once per instance, in the order the providers post them. The
 * instance is borrowed for the call; glue_instance_ref() it to keep it. Return 0 to go on, or
 * GLUE_STOP (any non-zero) to stop: the request then returns -ECANCELED promptly.
 * The callback may issue other requests on the same context.
 */
typedef int (*glue_instance_fn)(struct glue_instance *inst, void *userdata);

int glue_request_new(struct glue_context *ctx, struct glue_request **ret);
struct glue_request *glue_request_ref(struct glue_request *req);
struct glue_request *glue_request_unref(struct glue_request *req);
struct glue_context *glue_request_get_context(const struct glue_request *req); /* borrowed */

int glue_request_set_namespace(struct glue_request *req, const char *name_space);
void glue_request_set_flags(struct glue_request *req, unsigned flags);
unsigned glue_request_get_flags(const struct glue_request *req);
/* Required properties (copied); names the class lacks are ignored by enumerate (a query
 * reports them). NULL or count 0: all properties, Expensive ones included. Keys are always
 * fetched. */
int glue_request_set_properties(struct glue_request *req, const char *const *names, size_t count);
/* A time limit for each call made with this request, in microseconds from its start; 0: none. */
void glue_request_set_timeout(struct glue_request *req, uint64_t usec);
/*
 * Called on the caller's thread each time every instance that had arrived has been given to
 * the instance function and the request is about to wait for its providers: the moment to
 * flush what the instance function buffered. A stream flushed per instance costs a system call
 * per instance; flushed here, it costs one per burst, and an instance still goes out as soon as
 * the providers pause. NULL (the default): none. Kept for the request's later calls.
 */
typedef void (*glue_idle_fn)(void *userdata);
void glue_request_set_idle_fn(struct glue_request *req, glue_idle_fn fn, void *userdata);

/*
 * Enumerate the instances of class_name and of every class derived from it (deep), or only
 * its own (GLUE_REQUEST_SHALLOW), keeping the WMI override rules. Streams: fn sees each
 * instance as soon as its provider posts it, and memory does not grow with the number of
 * instances. Returns:
 *    0           every provider finished without error;
 *   >0           partial: that many providers failed (see the status below), the others'
 *                instances were delivered;
 *   -ECANCELED   fn stopped the request;
 *   -ETIMEDOUT   the deadline passed: what was posted in time was delivered, the status names
 *                the providers that did not finish;
 *   -ESRCH, -ENXIO, -EINVAL, -ENOMEM: nothing was enumerated.
 */
int glue_request_enumerate(struct glue_request *req, const char *class_name, glue_instance_fn fn,
                           void *userdata);
/* The same, collecting into an owned array of owned instances (glue_instance_list_free). */
int glue_request_collect(struct glue_request *req, const char *class_name,
                         struct glue_instance ***ret_list, size_t *ret_count);
void glue_instance_list_free(struct glue_instance **list, size_t count);

/* GetObject: the instance with that path, as its most derived class (owned). -ENOENT if there
 * is none, -EILSEQ on a malformed path, -ESRCH for an unknown class. */
int glue_request_get(struct glue_request *req, const char *path, struct glue_instance **ret);

/*
 * A WQL query: SELECT a, b | * FROM Class [WHERE ...]. Selected properties become required
 * properties; conditions on keys are answered with get-by-key. Instances that match are given
 * to fn with the selected properties. Returns as glue_request_enumerate, plus -EBADMSG on a
 * syntax error and -ESRCH/-EINVAL on an unknown class/property; glue_request_get_error then
 * says where and what was expected.
 */
int glue_request_query(struct glue_request *req, const char *wql, glue_instance_fn fn,
                       void *userdata);

/*
 * ASSOCIATORS OF {path}: the objects associated with the one at `path` (any class of its
 * hierarchy may be named: the glue first gets it, as glue_request_get(), and matches the
 * associations against the instance it finds). Each associated object (an endpoint) is given to
 * fn once, however many associations lead to it, as its most derived class, got from the
 * provider that serves it (so a request's property list and KEYS_ONLY apply to the endpoints).
 * Filters, each NULL for none (WMI's, compared case-insensitively):
 *   assoc_class   only through associations of this class or a class derived from it;
 *   result_class  only endpoints of this class or of a class derived from it;
 *   role          only associations in which the source is the value of this REF property;
 *   result_role   only endpoints that are the value of this REF property.
 * Each association provider is asked for the associations of that object alone (its references
 * operation), else its associations are enumerated and filtered; association classes whose
 * references cannot name the source are not asked at all. Streams as enumerate: an endpoint
 * reaches fn as soon as its association is posted and it is got. One deadline
 * (glue_request_set_timeout) covers the whole call; the provider status lists each provider
 * asked (the source's, the associations', the endpoints'), once per class, with its instances
 * summed. GLUE_REQUEST_SHALLOW is ignored. Returns as glue_request_enumerate, and:
 *   -EILSEQ   malformed path, or not the keys of its class;
 *   -ESRCH    unknown class (the path's, assoc_class or result_class);
 *   -EINVAL   assoc_class is no association, or no association in scope has a REF property
 *             named role (result_role);
 *   -ENOENT   there is no object at path;
 * each with glue_request_get_error() saying what.
 */
int glue_request_associators(struct glue_request *req, const char *path, const char *assoc_class,
                             const char *result_class, const char *role, const char *result_role,
                             glue_instance_fn fn, void *userdata);
/*
 * REFERENCES OF {path}: the association instances that refer to the object at `path`, each once,
 * as posted by their providers (the request's property list applies to them; their REF
 * properties are always fetched). result_class: only associations of this class or derived
 * from it (-EINVAL if it is no association); role: only those in which the object is the value
 * of that REF property. Otherwise as glue_request_associators().
 */
int glue_request_references(struct glue_request *req, const char *path, const char *result_class,
                            const char *role, glue_instance_fn fn, void *userdata);

/* A message about the last call's failure ("query:1:15: expected FROM"), borrowed, or NULL. */
const char *glue_request_get_error(const struct glue_request *req);

/* Outcome of each provider in the last call made with this request. */
struct glue_provider_status {
        const char *provider;  /* provider name, borrowed */
        const char *class_name;/* the class it was asked for, borrowed */
        int error;             /* 0, a negative errno, -ETIMEDOUT if it did not finish, or
                                * -EBUSY if it was not started because two workers of earlier
                                * requests are still stuck in it past their deadline (a hung
                                * read costs a bounded number of threads, however often the
                                * caller asks; the provider runs again once one returns) */
        bool finished;
        uint64_t instances;    /* instances it posted that were delivered */
        uint64_t usec;         /* time from its start to its end (or to the deadline) */
        const char *message;   /* the provider's last error message, borrowed, or NULL */
};
size_t glue_request_get_provider_count(const struct glue_request *req);
int glue_request_get_provider_status(const struct glue_request *req, size_t index,
                                     struct glue_provider_status *ret);

/*
 * Files the providers could not read in the last call made with this request (the properties
 * they carry are NULL), counted per cause: one entry per distinct error, in the order the
 * causes were first seen, with the first path that failed with it as an example. A file that
 * a device simply does not have is not counted. Borrowed strings, valid until the request's
 * next call or its unref.
 */
struct glue_read_error {
        int error;            /* the cause, a negative errno (-EACCES, -EIO, -EAGAIN, ...) */
        uint64_t count;       /* files that failed with it */
        const char *example;  /* the first such path, as the provider opened it */
        const char *provider; /* the provider that reported the example */
};
size_t glue_request_get_read_error_count(const struct glue_request *req);
int glue_request_get_read_error(const struct glue_request *req, size_t index,
                                struct glue_read_error *ret);

/* ---------------------------------------------------------------------------------------------
 * Providers
 *
 * A provider is a table of operations (the pciutils pci_methods shape) bound to classes by
 * the MOF qualifier Provider("name") (inherited by subclasses). Operations are called from
 * worker threads, possibly several at once; they must be reentrant.
 * -------------------------------------------------------------------------------------------*/

struct glue_provider_ops {
        /*
         * Required: sizeof(struct glue_provider_ops) as the provider was built. The table grows
         * at its end as operations are added (each new one optional); the glue reads only the
         * first `size` bytes and takes every operation past them as absent, so a provider built
         * against an older libglue.h keeps working. -EINVAL at registration if it is smaller
         * than the first table (the operations up to get_instance).
         */
        size_t size;
        const char *name;
        /* Optional: called once, before the provider's first operation (not at registration:
         * a context whose requests never reach the provider does not pay for its set-up), on
         * the thread of the request that needs it first, with the table that was registered
         * (so one set of functions can serve several tables, found from `ops` with
         * container_of); *ret_data is passed to every operation. A failure is not retried: every
         * request that needs the provider reports it in its status for the provider's classes
         * (glue_request_get_provider_status), as its error with a message. */
        int (*init)(struct glue_context *ctx, const struct glue_provider_ops *ops,
                    void **ret_data);
        /* Optional: called when the context is freed, if init ran and succeeded (or there is
         * no init). */
        void (*cleanup)(void *data);
        /*
         * Required: post every instance of cls and of its subclasses this provider serves, each
         * as its most derived class, through glue_call_post(), as soon as each is read. Return 0,
         * or a negative errno if the enumeration as a whole failed (instances already posted
         * stay delivered). Return promptly when glue_call_post() returns -ECANCELED.
         */
        int (*enumerate)(struct glue_call *call, const struct glue_class *cls, void *data);
        /*
         * Optional: post the one instance of cls (or of a subclass) with the keys in path,
         * reading only that device. Return 0 if posted, -ENOENT if there is none. Without it the
         * glue falls back to enumerate and filter.
         */
        int (*get_instance)(struct glue_call *call, const struct glue_class *cls,
                            const struct glue_path *path, void *data);
        /*
         * Optional: post the instances of the association class assoc (or of its subclasses
         * this provider serves, each as its most derived class) that refer to the object at
         * `object`, reading only that object's own links (its `device` link, its holders/
         * directory, its parent directory), never walking every device: this is what makes
         * ASSOCIATORS OF one object cheap. `object` is canonical: the path of the instance the
         * glue found there, of its most derived class, with the schema's key names (read keys
         * with glue_path_get_key). The glue drops what does not refer to the object, so posting
         * a few more is safe. Return 0 (also when there are none, or the object is not one this
         * provider knows), a negative errno on failure, or -EOPNOTSUPP to have the glue
         * enumerate assoc and filter (the fallback, also taken without this operation).
         * Enumerating every instance of an association class is the ordinary enumerate.
         */
        int (*references)(struct glue_call *call, const struct glue_class *assoc,
                          const struct glue_path *object, void *data);
};

/* Register a provider (ops is borrowed and must outlive the context); its init waits for its
 * first use. -EEXIST on a name already registered. */
int glue_context_register_provider(struct glue_context *ctx, const struct glue_provider_ops *ops);

/* ---------------------------------------------------------------------------------------------
 * Calls (provider side): the request context of one provider operation, WMI's MethodContext.
 * Borrowed by the operation for its duration.
 * -------------------------------------------------------------------------------------------*/

struct glue_context *glue_call_get_context(const struct glue_call *call);
/* Shortcut for glue_context_get_option(). */
const char *glue_call_get_option(const struct glue_call *call, const char *key);

/* A new instance of the named class (NULL: the class the operation was called for). -ESRCH if
 * there is no such class. Owned until posted. */
int glue_call_new_instance(struct glue_call *call, const char *class_name,
                           struct glue_instance **ret);
/*
 * Hand an instance to the caller; takes the caller's reference in all cases. Properties the
 * request wanted that were left unset become NULL. Returns 0 (delivered or rightly filtered by
 * the override rules), -ECANCELED when the caller stopped or the deadline passed (return from
 * the operation then), -EINVAL if a key is unset or the class is not one this provider serves
 * (a provider bug: also logged), -ENOMEM.
 * It waits while the caller is busy with what came before (the queue is bounded), and the
 * caller may then be asking this same provider for another instance: ASSOCIATORS OF gets the
 * other end of each association posted, a caller's function may issue requests. So do not hold
 * a lock across it that the provider's other operations take.
 */
int glue_call_post(struct glue_call *call, struct glue_instance *inst);

/* Is the property wanted? Keys always are; with a property list only those named; otherwise
 * all, Expensive ones included. Unknown names: false. Cheap; may be cached per operation. */
bool glue_call_wants(const struct glue_call *call, const char *property);
bool glue_call_is_shallow(const struct glue_call *call);
bool glue_call_is_keys_only(const struct glue_call *call);
/* Has the caller stopped, or the deadline passed? */
bool glue_call_is_cancelled(const struct glue_call *call);
/* Microseconds left before the deadline, UINT64_MAX if none. */
uint64_t glue_call_get_time_left(const struct glue_call *call);

/* Re-entrant enumeration of another class from inside an operation, with this call's request
 * options and deadline; fn runs on the operation's thread. Returns as glue_request_enumerate. */
int glue_call_enumerate(struct glue_call *call, const char *class_name, unsigned flags,
                        glue_instance_fn fn, void *userdata);

/*
 * Record that a file the provider needed could not be read: `path` as it was opened (under the
 * sysroot), `err` a negative errno: -EACCES, -EIO, -EAGAIN (a FIFO, or a read that would block),
 * -EINVAL (not what the kernel writes there: garbage in a number), ... Not for a file that the
 * device does not have (-ENOENT). The caller sees the count per cause with an example path
 * (glue_request_get_read_error); each is logged at LOG_DEBUG. Cheap; any thread.
 */
void glue_call_note_read_error(struct glue_call *call, const char *path, int err);

/* Record a message about a partial failure (a device that vanished, an unreadable attribute);
 * it reaches the caller's provider status and the context log at the given priority. */
void glue_call_log(struct glue_call *call, int priority, const char *format, ...)
        __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
