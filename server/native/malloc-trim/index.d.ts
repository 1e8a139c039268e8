/** glibc malloc_trim(0): true if memory went back to the system, false if none was free, null where the C library lacks it. */
export function trim(): boolean | null
