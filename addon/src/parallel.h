// Split [0, count) rows over std::thread workers (hardware_concurrency, at most 8; one for small jobs).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sys/mman.h>
#include <thread>
#include <vector>

namespace gankit {

// Number of workers for a job of `work` elementary operations.
inline unsigned workerCount(size_t rows, size_t work) {
  unsigned hw = std::thread::hardware_concurrency();
  unsigned n = std::min<unsigned>(hw == 0 ? 1 : hw, 8);
  if (work < (size_t(1) << 16)) n = 1;  // thread start-up would dominate
  return static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(n, rows)));
}

// Ask the kernel for transparent huge pages on the 2 MiB-aligned interior of a large output buffer
// before it is first written: a fresh buffer then faults in 2 MiB at a time instead of 4 KiB (a
// 36 MB buffer: about 20 instead of 9000 page faults). A hint only; nothing changes where it is refused.
inline void adviseHugePages(void* data, size_t length) {
#ifdef MADV_HUGEPAGE
  const uintptr_t huge = uintptr_t(1) << 21;
  if (length < 4 * huge) return;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + huge - 1) & ~(huge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + length) & ~(huge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

// Call fn(worker, begin, end) on contiguous row ranges covering [0, rows), one range per worker; the
// calling thread takes the first range. Returns after all ranges are done.
template <typename Fn>
void parallelRows(size_t rows, size_t work, Fn fn) {
  unsigned n = workerCount(rows, work);
  if (n <= 1) {
    fn(0u, size_t(0), rows);
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(n - 1);
  for (unsigned t = 1; t < n; t++) {
    size_t b = rows * t / n, e = rows * (t + 1) / n;
    threads.emplace_back([=] { fn(t, b, e); });
  }
  fn(0u, size_t(0), rows / n);
  for (auto& th : threads) th.join();
}

}  // namespace gankit
