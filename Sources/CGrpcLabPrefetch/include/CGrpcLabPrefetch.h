#pragma once

/// Asks the CPU to fetch the cache line holding `address` for writing, without waiting for it.
static inline void gl_prefetch_for_write(const void *address) {
  __builtin_prefetch(address, 1, 3);
}
