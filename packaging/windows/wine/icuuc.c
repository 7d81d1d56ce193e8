/* Stand-in for Windows' system icuuc.dll, for running the app under Wine 8 only.
 *
 * Qt >= 6.9's Qt6Core.dll links the ICU that ships with Windows 10 1903+ for its legacy
 * text codecs (QStringConverter's non-Unicode encodings); Wine has it only from 11.5.
 * These exports answer "no such converter", so Qt falls back to its built-in UTF codecs,
 * which is all the app uses. Never part of the app: packaging/windows/bundle_check.py
 * fails the build if it is. */
#include <stddef.h>
#include <stdint.h>

#define U_FILE_ACCESS_ERROR 4
#define EXPORT __declspec(dllexport)

typedef int UErrorCode;
typedef void UConverter;
typedef void (*Callback)(void);

static void fail(UErrorCode *error)
{
    if (error != NULL && *error <= 0)
        *error = U_FILE_ACCESS_ERROR;
}

EXPORT UConverter *ucnv_open(const char *name, UErrorCode *error) { (void)name; fail(error); return NULL; }
EXPORT void ucnv_close(UConverter *converter) { (void)converter; }
EXPORT void ucnv_reset(UConverter *converter) { (void)converter; }
EXPORT int8_t ucnv_getMaxCharSize(const UConverter *converter) { (void)converter; return 1; }
EXPORT const char *ucnv_getName(const UConverter *converter, UErrorCode *error) { (void)converter; fail(error); return NULL; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *error) { (void)name; (void)standard; fail(error); return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_toUCountPending(const UConverter *converter, UErrorCode *error) { (void)converter; fail(error); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const UConverter *converter, UErrorCode *error) { (void)converter; fail(error); return 0; }
EXPORT void ucnv_toUnicode(UConverter *c, void **t, const void *tl, const char **s, const char *sl, int32_t *o, int8_t f, UErrorCode *error) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(error); }
EXPORT void ucnv_fromUnicode(UConverter *c, char **t, const char *tl, const void **s, const void *sl, int32_t *o, int8_t f, UErrorCode *error) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(error); }
EXPORT void ucnv_getToUCallBack(const UConverter *c, Callback *action, const void **context) { (void)c; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_getFromUCallBack(const UConverter *c, Callback *action, const void **context) { (void)c; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_setToUCallBack(UConverter *c, Callback a, const void *x, Callback *oa, const void **ox, UErrorCode *error) { (void)c; (void)a; (void)x; (void)oa; (void)ox; fail(error); }
EXPORT void ucnv_setFromUCallBack(UConverter *c, Callback a, const void *x, Callback *oa, const void **ox, UErrorCode *error) { (void)c; (void)a; (void)x; (void)oa; (void)ox; fail(error); }
EXPORT void ucnv_cbToUWriteUChars(void *args, const void *source, int32_t length, int32_t offset, UErrorCode *error) { (void)args; (void)source; (void)length; (void)offset; fail(error); }
EXPORT void ucnv_cbFromUWriteUChars(void *args, const void **source, const void *limit, int32_t offset, UErrorCode *error) { (void)args; (void)source; (void)limit; (void)offset; fail(error); }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
