// gankit_tfgraph: a small, generic Node-API binding to TensorFlow's graph C API (c_api.h).
//
//   graphNew()                                   -> Graph handle
//   addOp(graph, type, name, inputs, attrs, controlInputs)  adds one operation, returns its name
//   shapeOf(graph, "op:0")                       -> dims (-1 unknown) or null (unknown rank)
//   addGradients(graph, prefix, ys, xs, dxs)     -> d(sum ys)/d xs as "op:i" (null: no path)
//   sessionNew(graph, intraOp, interOp)          -> Session handle (own thread config)
//   sessionRun(session, feeds, fetches, targets) -> fetched tensors [dtype, shape, TypedArray]
//   graphDef(graph)                              -> serialized GraphDef (Buffer), for TensorFlow's tools
//   graphDispose(graph), sessionDispose(session) free at once; finalizers free what JS forgot.
//
// Outputs are named "opName:index" and inputs lists are arrays of such names. Tensors cross as
// typed arrays (copied): float32 <-> Float32Array, int32 <-> Int32Array, bool <-> Uint8Array.
// Every function throws a JavaScript Error carrying TensorFlow's status message on failure.
#include <node_api.h>
#include <tensorflow/c/c_api.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

// ---------------------------------------------------------------- errors and N-API helpers

struct JsError {
  std::string message;
};

[[noreturn]] void fail(const std::string& message) { throw JsError{message}; }

void check(napi_env env, napi_status s, const char* what) {
  if (s != napi_ok) fail(std::string("gankit_tfgraph: ") + what + " failed");
}

// RAII TF_Status that throws its message when not OK.
struct Status {
  TF_Status* s = TF_NewStatus();
  ~Status() { TF_DeleteStatus(s); }
  void ok(const char* what) const {
    if (TF_GetCode(s) != TF_OK) fail(std::string(what) + ": " + TF_Message(s));
  }
};

std::string getString(napi_env env, napi_value v, const char* what) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) fail(std::string("expected a string for ") + what);
  std::string out(len, '\0');
  check(env, napi_get_value_string_utf8(env, v, out.data(), len + 1, &len), "read string");
  return out;
}

int64_t getInt(napi_env env, napi_value v, const char* what) {
  int64_t out = 0;
  if (napi_get_value_int64(env, v, &out) != napi_ok) fail(std::string("expected an integer for ") + what);
  return out;
}

double getDouble(napi_env env, napi_value v, const char* what) {
  double out = 0;
  if (napi_get_value_double(env, v, &out) != napi_ok) fail(std::string("expected a number for ") + what);
  return out;
}

bool isNullish(napi_env env, napi_value v) {
  napi_valuetype t;
  check(env, napi_typeof(env, v, &t), "typeof");
  return t == napi_undefined || t == napi_null;
}

std::vector<napi_value> getArray(napi_env env, napi_value v, const char* what) {
  bool is = false;
  check(env, napi_is_array(env, v, &is), "is_array");
  if (!is) fail(std::string("expected an array for ") + what);
  uint32_t n = 0;
  check(env, napi_get_array_length(env, v, &n), "array length");
  std::vector<napi_value> out(n);
  for (uint32_t i = 0; i < n; ++i) check(env, napi_get_element(env, v, i, &out[i]), "array element");
  return out;
}

std::vector<int64_t> getInts(napi_env env, napi_value v, const char* what) {
  std::vector<int64_t> out;
  for (napi_value e : getArray(env, v, what)) out.push_back(getInt(env, e, what));
  return out;
}

napi_value makeString(napi_env env, const char* s) {
  napi_value out;
  check(env, napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &out), "create string");
  return out;
}

// ---------------------------------------------------------------- handles

struct Graph {
  TF_Graph* graph = TF_NewGraph();
  void free() {
    if (graph) TF_DeleteGraph(graph);
    graph = nullptr;
  }
};

struct Session {
  TF_Session* session = nullptr;
  TF_Graph* graph = nullptr;     // borrowed; kept alive by graphRef
  napi_ref graphRef = nullptr;   // the Graph's JS handle, so it is not collected first
  void free(napi_env env) {
    if (session) {
      Status st;
      TF_CloseSession(session, st.s);
      TF_DeleteSession(session, st.s);
    }
    session = nullptr;
    graph = nullptr;
    if (graphRef && env) napi_delete_reference(env, graphRef);
    graphRef = nullptr;
  }
};

template <typename T>
T* unwrap(napi_env env, napi_value v, const char* what) {
  void* p = nullptr;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == nullptr) fail(std::string("expected a ") + what + " handle");
  return static_cast<T*>(p);
}

TF_Graph* liveGraph(napi_env env, napi_value v) {
  Graph* g = unwrap<Graph>(env, v, "graph");
  if (!g->graph) fail("the graph was disposed");
  return g->graph;
}

// "op:3" -> TF_Output of the graph (throws when the operation does not exist).
TF_Output output(TF_Graph* graph, const std::string& ref) {
  size_t colon = ref.rfind(':');
  std::string op = colon == std::string::npos ? ref : ref.substr(0, colon);
  int index = colon == std::string::npos ? 0 : std::atoi(ref.c_str() + colon + 1);
  TF_Operation* oper = TF_GraphOperationByName(graph, op.c_str());
  if (!oper) fail("no operation named '" + op + "' in the graph");
  return TF_Output{oper, index};
}

std::string refOf(TF_Output o) { return std::string(TF_OperationName(o.oper)) + ":" + std::to_string(o.index); }

// ---------------------------------------------------------------- tensors

size_t dtypeSize(TF_DataType t) {
  switch (t) {
    case TF_FLOAT: case TF_INT32: return 4;
    case TF_INT64: return 8;
    case TF_BOOL: return 1;
    default: fail("unsupported dtype " + std::to_string(static_cast<int>(t)) + " (float32, int32, int64 or bool)");
  }
}

struct TensorDeleter {
  void operator()(TF_Tensor* t) const { if (t) TF_DeleteTensor(t); }
};
using TensorPtr = std::unique_ptr<TF_Tensor, TensorDeleter>;

// [dtype, shape, typedArray] -> a new TF_Tensor holding a copy of the data.
TensorPtr tensorFromJs(napi_env env, napi_value dtypeV, napi_value shapeV, napi_value dataV) {
  auto dtype = static_cast<TF_DataType>(getInt(env, dtypeV, "tensor dtype"));
  std::vector<int64_t> dims = getInts(env, shapeV, "tensor shape");
  size_t count = 1;
  for (int64_t d : dims) {
    if (d < 0) fail("tensor shape has a negative dimension");
    count *= static_cast<size_t>(d);
  }
  bool isTyped = false;
  check(env, napi_is_typedarray(env, dataV, &isTyped), "is_typedarray");
  if (!isTyped) fail("expected a typed array for tensor data");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  check(env, napi_get_typedarray_info(env, dataV, &type, &length, &data, nullptr, nullptr), "typedarray info");
  size_t bytes = count * dtypeSize(dtype);
  size_t have = length * (type == napi_float32_array || type == napi_int32_array ? 4 : type == napi_bigint64_array ? 8 : 1);
  if (have != bytes) fail("tensor data has " + std::to_string(have) + " bytes but the shape needs " + std::to_string(bytes));
  TF_Tensor* t = TF_AllocateTensor(dtype, dims.data(), static_cast<int>(dims.size()), bytes);
  if (!t) fail("could not allocate a tensor");
  if (bytes) std::memcpy(TF_TensorData(t), data, bytes);
  return TensorPtr(t);
}

// TF_Tensor -> [dtype, shape, typedArray] (a copy).
napi_value tensorToJs(napi_env env, TF_Tensor* t) {
  TF_DataType dtype = TF_TensorType(t);
  size_t bytes = TF_TensorByteSize(t);
  size_t elem = dtypeSize(dtype);
  void* buf = nullptr;
  napi_value ab, typed, shape, dt, out;
  check(env, napi_create_arraybuffer(env, bytes, &buf, &ab), "create arraybuffer");
  if (bytes) std::memcpy(buf, TF_TensorData(t), bytes);
  napi_typedarray_type type = dtype == TF_FLOAT ? napi_float32_array : dtype == TF_INT32 ? napi_int32_array
                              : dtype == TF_INT64 ? napi_bigint64_array : napi_uint8_array;
  check(env, napi_create_typedarray(env, type, bytes / elem, ab, 0, &typed), "create typedarray");
  int rank = TF_NumDims(t);
  check(env, napi_create_array_with_length(env, rank, &shape), "create array");
  for (int i = 0; i < rank; ++i) {
    napi_value d;
    check(env, napi_create_int64(env, TF_Dim(t, i), &d), "create int");
    check(env, napi_set_element(env, shape, i, d), "set element");
  }
  check(env, napi_create_int32(env, static_cast<int>(dtype), &dt), "create int");
  check(env, napi_create_array_with_length(env, 3, &out), "create array");
  check(env, napi_set_element(env, out, 0, dt), "set element");
  check(env, napi_set_element(env, out, 1, shape), "set element");
  check(env, napi_set_element(env, out, 2, typed), "set element");
  return out;
}

// ---------------------------------------------------------------- attributes

// One attribute [name, kind, value] on an operation under construction.
void setAttr(napi_env env, TF_OperationDescription* desc, napi_value spec, std::vector<TensorPtr>& keep) {
  std::vector<napi_value> a = getArray(env, spec, "attribute [name, kind, value]");
  if (a.size() != 3) fail("an attribute is [name, kind, value]");
  std::string name = getString(env, a[0], "attribute name");
  std::string kind = getString(env, a[1], "attribute kind");
  napi_value v = a[2];
  const char* n = name.c_str();
  if (kind == "int") {
    TF_SetAttrInt(desc, n, getInt(env, v, n));
  } else if (kind == "float") {
    TF_SetAttrFloat(desc, n, static_cast<float>(getDouble(env, v, n)));
  } else if (kind == "bool") {
    bool b = false;
    if (napi_get_value_bool(env, v, &b) != napi_ok) fail("expected a boolean for attribute " + name);
    TF_SetAttrBool(desc, n, b ? 1 : 0);
  } else if (kind == "type") {
    TF_SetAttrType(desc, n, static_cast<TF_DataType>(getInt(env, v, n)));
  } else if (kind == "types") {
    std::vector<int64_t> ts = getInts(env, v, n);
    std::vector<TF_DataType> types;
    for (int64_t t : ts) types.push_back(static_cast<TF_DataType>(t));
    TF_SetAttrTypeList(desc, n, types.data(), static_cast<int>(types.size()));
  } else if (kind == "shape") {
    if (isNullish(env, v)) {
      TF_SetAttrShape(desc, n, nullptr, -1);  // unknown rank
    } else {
      std::vector<int64_t> dims = getInts(env, v, n);
      TF_SetAttrShape(desc, n, dims.data(), static_cast<int>(dims.size()));
    }
  } else if (kind == "ints") {
    std::vector<int64_t> xs = getInts(env, v, n);
    TF_SetAttrIntList(desc, n, xs.data(), static_cast<int>(xs.size()));
  } else if (kind == "floats") {
    std::vector<float> xs;
    for (napi_value e : getArray(env, v, n)) xs.push_back(static_cast<float>(getDouble(env, e, n)));
    TF_SetAttrFloatList(desc, n, xs.data(), static_cast<int>(xs.size()));
  } else if (kind == "string") {
    std::string s = getString(env, v, n);
    TF_SetAttrString(desc, n, s.data(), s.size());
  } else if (kind == "tensor") {
    std::vector<napi_value> t = getArray(env, v, "tensor attribute [dtype, shape, data]");
    if (t.size() != 3) fail("a tensor attribute is [dtype, shape, data]");
    keep.push_back(tensorFromJs(env, t[0], t[1], t[2]));
    Status st;
    TF_SetAttrTensor(desc, n, keep.back().get(), st.s);
    st.ok(("attribute " + name).c_str());
  } else {
    fail("unknown attribute kind '" + kind + "' for " + name);
  }
}

// ---------------------------------------------------------------- exported functions

using Impl = napi_value (*)(napi_env, std::vector<napi_value>&);

// Wrap an implementation: collect up to 8 arguments, turn JsError into a thrown JavaScript Error.
template <Impl impl>
napi_value entry(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  std::vector<napi_value> args(argv, argv + argc);
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  args.resize(8, undefined);
  try {
    return impl(env, args);
  } catch (const JsError& e) {
    napi_throw_error(env, nullptr, e.message.c_str());
    return nullptr;
  }
}

napi_value graphNew(napi_env env, std::vector<napi_value>&) {
  auto* g = new Graph();
  napi_value out;
  napi_status s = napi_create_external(env, g, [](napi_env, void* p, void*) {
    auto* graph = static_cast<Graph*>(p);
    graph->free();
    delete graph;
  }, nullptr, &out);
  if (s != napi_ok) { g->free(); delete g; fail("could not create a graph handle"); }
  return out;
}

napi_value graphDispose(napi_env env, std::vector<napi_value>& a) {
  unwrap<Graph>(env, a[0], "graph")->free();
  return nullptr;
}

// graphDef(graph) -> the serialized GraphDef (a Buffer), for inspecting the graph with TensorFlow's tools
napi_value graphDef(napi_env env, std::vector<napi_value>& a) {
  Graph* g = unwrap<Graph>(env, a[0], "graph");
  if (!g->graph) fail("the graph was disposed");
  TF_Buffer* buf = TF_NewBuffer();
  Status st;
  TF_GraphToGraphDef(g->graph, buf, st.s);
  napi_value out;
  void* copy = nullptr;
  bool made = TF_GetCode(st.s) == TF_OK && napi_create_buffer_copy(env, buf->length, buf->data, &copy, &out) == napi_ok;
  TF_DeleteBuffer(buf);
  st.ok("graph to GraphDef");
  if (!made) fail("could not copy the GraphDef");
  return out;
}

// addOp(graph, type, name, inputs, attrs, controlInputs) -> the operation's name
napi_value addOp(napi_env env, std::vector<napi_value>& a) {
  TF_Graph* graph = liveGraph(env, a[0]);
  std::string type = getString(env, a[1], "op type");
  std::string name = getString(env, a[2], "op name");
  TF_OperationDescription* desc = TF_NewOperation(graph, type.c_str(), name.c_str());
  std::vector<TensorPtr> keep;  // tensor attributes live until the op is finished
  try {
    for (napi_value in : getArray(env, a[3], "inputs")) {
      bool isList = false;
      check(env, napi_is_array(env, in, &isList), "is_array");
      if (isList) {
        std::vector<TF_Output> list;
        for (napi_value e : getArray(env, in, "input list")) list.push_back(output(graph, getString(env, e, "input")));
        TF_AddInputList(desc, list.data(), static_cast<int>(list.size()));
      } else {
        TF_AddInput(desc, output(graph, getString(env, in, "input")));
      }
    }
    if (!isNullish(env, a[4])) for (napi_value at : getArray(env, a[4], "attrs")) setAttr(env, desc, at, keep);
    if (!isNullish(env, a[5])) {
      for (napi_value c : getArray(env, a[5], "control inputs")) {
        std::string op = getString(env, c, "control input");
        TF_Operation* oper = TF_GraphOperationByName(graph, op.c_str());
        if (!oper) fail("no operation named '" + op + "' for a control input");
        TF_AddControlInput(desc, oper);
      }
    }
  } catch (const JsError& e) {
    // The description must be finished to be freed; discard the result.
    Status st;
    TF_FinishOperation(desc, st.s);
    throw JsError{type + " '" + name + "': " + e.message};
  }
  Status st;
  TF_Operation* op = TF_FinishOperation(desc, st.s);
  st.ok((type + " '" + name + "'").c_str());
  return makeString(env, TF_OperationName(op));
}

// shapeOf(graph, ref) -> dims with -1 for unknown ones, or null for an unknown rank.
napi_value shapeOf(napi_env env, std::vector<napi_value>& a) {
  TF_Graph* graph = liveGraph(env, a[0]);
  TF_Output o = output(graph, getString(env, a[1], "output"));
  Status st;
  int rank = TF_GraphGetTensorNumDims(graph, o, st.s);
  st.ok("shape");
  napi_value out;
  if (rank < 0) { napi_get_null(env, &out); return out; }
  std::vector<int64_t> dims(rank);
  TF_GraphGetTensorShape(graph, o, dims.data(), rank, st.s);
  st.ok("shape");
  check(env, napi_create_array_with_length(env, rank, &out), "create array");
  for (int i = 0; i < rank; ++i) {
    napi_value d;
    check(env, napi_create_int64(env, dims[i], &d), "create int");
    check(env, napi_set_element(env, out, i, d), "set element");
  }
  return out;
}

// addGradients(graph, prefix, ys, xs, dxs|null) -> gradient refs (null where y does not depend on x)
napi_value addGradients(napi_env env, std::vector<napi_value>& a) {
  TF_Graph* graph = liveGraph(env, a[0]);
  std::string prefix = getString(env, a[1], "prefix");
  std::vector<TF_Output> ys, xs, dxs;
  for (napi_value v : getArray(env, a[2], "ys")) ys.push_back(output(graph, getString(env, v, "y")));
  for (napi_value v : getArray(env, a[3], "xs")) xs.push_back(output(graph, getString(env, v, "x")));
  if (!isNullish(env, a[4])) {
    for (napi_value v : getArray(env, a[4], "dxs")) dxs.push_back(output(graph, getString(env, v, "dx")));
    if (dxs.size() != ys.size()) fail("dxs must have one entry per y");
  }
  std::vector<TF_Output> dy(xs.size());
  Status st;
  TF_AddGradientsWithPrefix(graph, prefix.c_str(), ys.data(), static_cast<int>(ys.size()), xs.data(),
                            static_cast<int>(xs.size()), dxs.empty() ? nullptr : dxs.data(), st.s, dy.data());
  st.ok("gradients");
  napi_value out;
  check(env, napi_create_array_with_length(env, dy.size(), &out), "create array");
  for (size_t i = 0; i < dy.size(); ++i) {
    napi_value v;
    if (dy[i].oper == nullptr) napi_get_null(env, &v);
    else v = makeString(env, refOf(dy[i]).c_str());
    check(env, napi_set_element(env, out, static_cast<uint32_t>(i), v), "set element");
  }
  return out;
}

// A ConfigProto with the thread settings, serialized by hand (varint fields):
// intra_op_parallelism_threads = 2, inter_op_parallelism_threads = 5, use_per_session_threads = 9.
std::string threadConfig(int64_t intraOp, int64_t interOp) {
  std::string out;
  auto varint = [&out](uint64_t v) {
    while (v >= 0x80) { out.push_back(static_cast<char>((v & 0x7f) | 0x80)); v >>= 7; }
    out.push_back(static_cast<char>(v));
  };
  if (intraOp > 0) { varint(2 << 3); varint(static_cast<uint64_t>(intraOp)); }
  if (interOp > 0) { varint(5 << 3); varint(static_cast<uint64_t>(interOp)); varint(9 << 3); varint(1); }
  return out;
}

// sessionNew(graph, intraOp, interOp) -> session (0 threads: TensorFlow's default)
napi_value sessionNew(napi_env env, std::vector<napi_value>& a) {
  Graph* g = unwrap<Graph>(env, a[0], "graph");
  if (!g->graph) fail("the graph was disposed");
  int64_t intraOp = getInt(env, a[1], "intraOp"), interOp = getInt(env, a[2], "interOp");
  if (intraOp < 0 || interOp < 0) fail("thread counts must be >= 0");
  TF_SessionOptions* opts = TF_NewSessionOptions();
  std::string config = threadConfig(intraOp, interOp);
  Status st;
  TF_SetConfig(opts, config.data(), config.size(), st.s);
  if (TF_GetCode(st.s) != TF_OK) { TF_DeleteSessionOptions(opts); st.ok("session config"); }
  TF_Session* session = TF_NewSession(g->graph, opts, st.s);
  TF_DeleteSessionOptions(opts);
  st.ok("new session");
  auto* s = new Session();
  s->session = session;
  s->graph = g->graph;
  napi_value out;
  if (napi_create_reference(env, a[0], 1, &s->graphRef) != napi_ok ||
      napi_create_external(env, s, [](napi_env env, void* p, void*) {
        auto* sess = static_cast<Session*>(p);
        sess->free(env);
        delete sess;
      }, nullptr, &out) != napi_ok) {
    s->free(env);
    delete s;
    fail("could not create a session handle");
  }
  return out;
}

napi_value sessionDispose(napi_env env, std::vector<napi_value>& a) {
  unwrap<Session>(env, a[0], "session")->free(env);
  return nullptr;
}

// sessionRun(session, feeds [[ref, dtype, shape, data]...], fetches [ref...], targets [opName...])
napi_value sessionRun(napi_env env, std::vector<napi_value>& a) {
  Session* s = unwrap<Session>(env, a[0], "session");
  if (!s->session) fail("the session was disposed");
  std::vector<TF_Output> inputs, outputs;
  std::vector<TensorPtr> owned;
  std::vector<TF_Tensor*> values;
  for (napi_value f : getArray(env, a[1], "feeds")) {
    std::vector<napi_value> e = getArray(env, f, "feed [ref, dtype, shape, data]");
    if (e.size() != 4) fail("a feed is [ref, dtype, shape, data]");
    inputs.push_back(output(s->graph, getString(env, e[0], "feed")));
    owned.push_back(tensorFromJs(env, e[1], e[2], e[3]));
    values.push_back(owned.back().get());
  }
  for (napi_value v : getArray(env, a[2], "fetches")) outputs.push_back(output(s->graph, getString(env, v, "fetch")));
  std::vector<TF_Operation*> targets;
  for (napi_value v : getArray(env, a[3], "targets")) {
    std::string op = getString(env, v, "target");
    TF_Operation* oper = TF_GraphOperationByName(s->graph, op.c_str());
    if (!oper) fail("no operation named '" + op + "' to run");
    targets.push_back(oper);
  }
  std::vector<TF_Tensor*> results(outputs.size(), nullptr);
  Status st;
  TF_SessionRun(s->session, nullptr, inputs.data(), values.data(), static_cast<int>(inputs.size()),
                outputs.data(), results.data(), static_cast<int>(outputs.size()),
                targets.data(), static_cast<int>(targets.size()), nullptr, st.s);
  std::vector<TensorPtr> fetched;
  for (TF_Tensor* t : results) fetched.emplace_back(t);  // freed whatever happens next
  st.ok("run");
  napi_value out;
  check(env, napi_create_array_with_length(env, fetched.size(), &out), "create array");
  for (size_t i = 0; i < fetched.size(); ++i) {
    check(env, napi_set_element(env, out, static_cast<uint32_t>(i), tensorToJs(env, fetched[i].get())), "set element");
  }
  return out;
}

napi_value version(napi_env env, std::vector<napi_value>&) { return makeString(env, TF_Version()); }

napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"graphNew", nullptr, entry<graphNew>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"graphDispose", nullptr, entry<graphDispose>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"graphDef", nullptr, entry<graphDef>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addOp", nullptr, entry<addOp>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"shapeOf", nullptr, entry<shapeOf>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addGradients", nullptr, entry<addGradients>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sessionNew", nullptr, entry<sessionNew>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sessionRun", nullptr, entry<sessionRun>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sessionDispose", nullptr, entry<sessionDispose>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"version", nullptr, entry<version>, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
