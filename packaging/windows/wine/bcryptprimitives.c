/* Stand-in for Windows' bcryptprimitives.dll, for running the app under Wine 8 only.
 *
 * Rust >= 1.78 (python-calamine's wheel) imports ProcessPrng from bcryptprimitives.dll,
 * which every Windows 10/11 has and Wine 8 lacks. This fills the buffer from
 * RtlGenRandom (advapi32's SystemFunction036), Windows' older entry to the same generator.
 * Never part of the app: packaging/windows/bundle_check.py fails the build if it is. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
