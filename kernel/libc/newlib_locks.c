/* newlib's retargetable locks (configured with --enable-newlib-retargetable-locking) on the
 * kernel's sleeping mutexes: malloc, stdio and the rest are thread-safe. */
#include <sys/lock.h>
#include <stdlib.h>
#include "../core/sync.h"
#include "../core/panic.h"

struct __lock { struct mutex m; };

struct __lock __lock___sinit_recursive_mutex = { RECURSIVE_MUTEX_INIT };
struct __lock __lock___sfp_recursive_mutex = { RECURSIVE_MUTEX_INIT };
struct __lock __lock___atexit_recursive_mutex = { RECURSIVE_MUTEX_INIT };
struct __lock __lock___at_quick_exit_mutex = { MUTEX_INIT };
struct __lock __lock___malloc_recursive_mutex = { RECURSIVE_MUTEX_INIT };
struct __lock __lock___env_recursive_mutex = { RECURSIVE_MUTEX_INIT };
struct __lock __lock___tz_mutex = { MUTEX_INIT };
struct __lock __lock___dd_hash_mutex = { MUTEX_INIT };
struct __lock __lock___arc4random_mutex = { MUTEX_INIT };

static void lock_new(_LOCK_T *lock, bool recursive) {
  /* malloc takes the malloc lock itself: the lock object comes from calloc before it is one. */
  *lock = calloc(1, sizeof **lock);
  if (!*lock) panic("newlib: no memory for a lock");
  mutex_init(&(*lock)->m, recursive);
}

void __retarget_lock_init(_LOCK_T *lock) { lock_new(lock, false); }
void __retarget_lock_init_recursive(_LOCK_T *lock) { lock_new(lock, true); }
void __retarget_lock_close(_LOCK_T lock) { free(lock); }
void __retarget_lock_close_recursive(_LOCK_T lock) { free(lock); }
void __retarget_lock_acquire(_LOCK_T lock) { mutex_lock(&lock->m); }
void __retarget_lock_acquire_recursive(_LOCK_T lock) { mutex_lock(&lock->m); }
int __retarget_lock_try_acquire(_LOCK_T lock) { return mutex_trylock(&lock->m); }
int __retarget_lock_try_acquire_recursive(_LOCK_T lock) { return mutex_trylock(&lock->m); }
void __retarget_lock_release(_LOCK_T lock) { mutex_unlock(&lock->m); }
void __retarget_lock_release_recursive(_LOCK_T lock) { mutex_unlock(&lock->m); }
