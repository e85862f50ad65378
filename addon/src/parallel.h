// Split [0, count) rows over std::thread workers (hardware_concurrency, at most 8; one for small jobs).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
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
