// gankit_alloc: output buffers for the sharp path's kernels, recycled as soon as V8 collects them.
//
// An edit of a 12 MP photo writes a fresh 36 MB buffer. glibc maps anything over 32 MB with a new mmap,
// so every edit pays about 9000 page faults plus the kernel zeroing the pages (10-30 ms, more than the
// copy itself for crops and flips). Here a large output is a block of its own (mmap, huge pages advised)
// handed to V8 as an ArrayBuffer with its own deleter. V8 calls the deleter when it sweeps the dead
// buffer, on whichever thread sweeps, and the block goes back to a small idle list that the next output
// of a similar size reuses: no faults, no zeroing (the kernels write every byte). Node-API's external
// buffers are not usable for this: their finalizers wait for the event loop to turn, so a loop awaiting
// only resolved promises would hold every block. A block is reused for any output that fits in it (the
// smallest idle block that does; its unused tail is memory the idle list held anyway); idle blocks beyond
// the limit (oldest first) or idle for longer than trim()'s age are unmapped. Hence the V8 API: this module is built by node-gyp
// against the running Node's headers (scripts/build-addon.sh) and is optional; without it gankit uses
// Buffer.allocUnsafeSlow.
//
// Exports:
//   output(bytes) -> Uint8Array of `bytes` uninitialised bytes (bytes an integer in [1, 2^40]).
//   stats() -> { reused, mapped, idleBlocks, idleBytes, liveBlocks, liveBytes, limitBytes }.
//   setIdleLimit(bytes) -> previous limit (bytes kept idle at most; 0 unmaps every idle block now).
//   trim(ms) -> number of idle blocks unmapped because they had been idle for at least ms milliseconds.
//   release(view) -> true when view's buffer was an output of this pool: the buffer is detached (its
//     views become empty) and the block is idle at once, without waiting for V8 to collect it; false
//     (nothing changes) for any other value.
#include <node.h>
#include <v8.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace {

constexpr size_t kHuge = size_t(1) << 21;  // 2 MiB: block sizes are multiples, so sizes recur exactly

struct Block {
  void* data;
  size_t capacity;
  double idleSince;  // milliseconds on the steady clock
};

double nowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Never destroyed: V8 may sweep (and call release) while the process exits, after static destructors.
struct Pool {
  std::mutex mutex;
  std::vector<Block> idle;  // oldest first
  std::unordered_set<void*> live;  // blocks behind buffers V8 has not released
  size_t idleBytes = 0;
  size_t limitBytes = size_t(256) << 20;
  size_t liveBlocks = 0, liveBytes = 0;
  double reused = 0, mapped = 0;
};
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

void unmapAll(std::vector<Block>& blocks) {
  for (const Block& b : blocks) munmap(b.data, b.capacity);
  blocks.clear();
}

// Move the oldest idle blocks beyond the limit into `out` (the caller unmaps them outside the lock).
void overLimit(Pool& p, std::vector<Block>& out) {
  size_t drop = 0;
  while (drop < p.idle.size() && p.idleBytes > p.limitBytes) p.idleBytes -= p.idle[drop++].capacity;
  out.assign(p.idle.begin(), p.idle.begin() + drop);
  p.idle.erase(p.idle.begin(), p.idle.begin() + drop);
}

// V8's deleter for a dead output: back to the idle list (any thread).
void release(void* data, size_t, void* capacity) {
  Pool& p = pool();
  std::vector<Block> drop;
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    p.liveBlocks--;
    p.liveBytes -= reinterpret_cast<size_t>(capacity);
    p.live.erase(data);
    p.idle.push_back({data, reinterpret_cast<size_t>(capacity), nowMs()});
    p.idleBytes += reinterpret_cast<size_t>(capacity);
    overLimit(p, drop);
  }
  unmapAll(drop);
}

// The smallest idle block of at least `capacity` bytes, or a fresh mapping.
Block take(size_t capacity) {
  Pool& p = pool();
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    size_t best = p.idle.size();
    for (size_t i = 0; i < p.idle.size(); i++) {
      size_t c = p.idle[i].capacity;
      if (c >= capacity && (best == p.idle.size() || c < p.idle[best].capacity)) best = i;
    }
    if (best < p.idle.size()) {
      Block b = p.idle[best];
      p.idle.erase(p.idle.begin() + best);
      p.idleBytes -= b.capacity;
      p.liveBlocks++;
      p.liveBytes += b.capacity;
      p.reused++;
      p.live.insert(b.data);
      return b;
    }
  }
  void* data = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED) return {nullptr, 0, 0};
#ifdef MADV_HUGEPAGE
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + capacity) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
  std::lock_guard<std::mutex> lock(p.mutex);
  p.liveBlocks++;
  p.liveBytes += capacity;
  p.mapped++;
  p.live.insert(data);
  return {data, capacity, 0};
}

void throwRange(v8::Isolate* isolate, const char* message) {
  isolate->ThrowException(v8::Exception::RangeError(v8::String::NewFromUtf8(isolate, message).ToLocalChecked()));
}

// Reads args[0] as a whole number in [min, 2^40]; false (with a RangeError thrown) otherwise.
bool byteCount(const v8::FunctionCallbackInfo<v8::Value>& args, double min, const char* message, size_t* out) {
  double n = args.Length() > 0 && args[0]->IsNumber() ? args[0].As<v8::Number>()->Value() : NAN;
  if (!(n >= min && n <= 1099511627776.0 && std::floor(n) == n)) {
    throwRange(args.GetIsolate(), message);
    return false;
  }
  *out = static_cast<size_t>(n);
  return true;
}

void Output(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  size_t bytes;
  if (!byteCount(args, 1, "gankit_alloc.output: bytes must be an integer in [1, 2^40]", &bytes)) return;
  Block b = take((bytes + kHuge - 1) & ~(kHuge - 1));
  if (!b.data) return throwRange(isolate, "gankit_alloc.output: out of memory (mmap failed)");
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(b.data, bytes, release, reinterpret_cast<void*>(b.capacity));
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  args.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, bytes));
}

void Stats(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  auto set = [&](const char* key, double value) {
    out->Set(context, v8::String::NewFromUtf8(isolate, key).ToLocalChecked(), v8::Number::New(isolate, value)).Check();
  };
  set("reused", p.reused);
  set("mapped", p.mapped);
  set("idleBlocks", double(p.idle.size()));
  set("idleBytes", double(p.idleBytes));
  set("liveBlocks", double(p.liveBlocks));
  set("liveBytes", double(p.liveBytes));
  set("limitBytes", double(p.limitBytes));
  args.GetReturnValue().Set(out);
}

void SetIdleLimit(const v8::FunctionCallbackInfo<v8::Value>& args) {
  size_t limit;
  if (!byteCount(args, 0, "gankit_alloc.setIdleLimit: bytes must be an integer in [0, 2^40]", &limit)) return;
  Pool& p = pool();
  std::vector<Block> drop;
  size_t was;
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    was = p.limitBytes;
    p.limitBytes = limit;
    overLimit(p, drop);
  }
  unmapAll(drop);
  args.GetReturnValue().Set(v8::Number::New(args.GetIsolate(), double(was)));
}

void Trim(const v8::FunctionCallbackInfo<v8::Value>& args) {
  size_t age;
  if (!byteCount(args, 0, "gankit_alloc.trim: ms must be an integer in [0, 2^40]", &age)) return;
  Pool& p = pool();
  std::vector<Block> drop;
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    const double cutoff = nowMs() - double(age);
    std::vector<Block> keep;
    for (const Block& b : p.idle) (b.idleSince <= cutoff ? drop : keep).push_back(b);
    for (const Block& b : drop) p.idleBytes -= b.capacity;
    p.idle.swap(keep);
  }
  const double count = double(drop.size());
  unmapAll(drop);
  args.GetReturnValue().Set(v8::Number::New(args.GetIsolate(), count));
}

void Release(const v8::FunctionCallbackInfo<v8::Value>& args) {
  bool released = false;
  if (args.Length() > 0 && args[0]->IsArrayBufferView()) {
    v8::Local<v8::ArrayBuffer> buffer = args[0].As<v8::ArrayBufferView>()->Buffer();
    void* data = nullptr;
    {
      std::shared_ptr<v8::BackingStore> store = buffer->GetBackingStore();
      data = store->Data();
    }  // the store's last reference is the buffer's own, so detaching frees it (release() runs) now
    bool ours;
    {
      Pool& p = pool();
      std::lock_guard<std::mutex> lock(p.mutex);
      ours = data != nullptr && p.live.count(data) > 0;
    }
    if (ours && buffer->IsDetachable()) released = buffer->Detach(v8::Local<v8::Value>()).FromMaybe(false);
  }
  args.GetReturnValue().Set(released);
}

}  // namespace

NODE_MODULE_INIT(/* exports, module, context */) {
  NODE_SET_METHOD(exports, "output", Output);
  NODE_SET_METHOD(exports, "stats", Stats);
  NODE_SET_METHOD(exports, "setIdleLimit", SetIdleLimit);
  NODE_SET_METHOD(exports, "trim", Trim);
  NODE_SET_METHOD(exports, "release", Release);
}
