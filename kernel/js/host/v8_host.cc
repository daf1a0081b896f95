// v8-host: runs a JavaScript file (or -e CODE) with the very V8 archives the kernel links, on
// Linux, with V8's default platform. It checks the cached V8 build works, and is the Linux side
// of the JS CPU benchmark (same V8 objects, same flags).
#include <libplatform/libplatform.h>
#include <v8.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace {

std::string ToString(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 ? std::string(*utf8, utf8.length()) : std::string("<not a string>");
}

// print(...args): the arguments as strings, space-separated, one line on stdout.
void Print(const v8::FunctionCallbackInfo<v8::Value>& args) {
  std::string line;
  for (int i = 0; i < args.Length(); i++) {
    if (i) line += ' ';
    line += ToString(args.GetIsolate(), args[i]);
  }
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

bool ReadFile(const char* path, std::string* out) {
  FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  std::fclose(f);
  return true;
}

int Run(v8::Isolate* isolate, v8::Platform* platform, const std::string& source, const char* name) {
  v8::HandleScope handles(isolate);
  v8::Local<v8::ObjectTemplate> global = v8::ObjectTemplate::New(isolate);
  global->Set(isolate, "print", v8::FunctionTemplate::New(isolate, Print));
  v8::Local<v8::Context> context = v8::Context::New(isolate, nullptr, global);
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(isolate);
  v8::ScriptOrigin origin(isolate, v8::String::NewFromUtf8(isolate, name).ToLocalChecked());
  v8::Local<v8::String> code = v8::String::NewFromUtf8(isolate, source.data(), v8::NewStringType::kNormal,
                                                       static_cast<int>(source.size())).ToLocalChecked();
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> result;
  if (!v8::Script::Compile(context, code, &origin).ToLocal(&script) || !script->Run(context).ToLocal(&result)) {
    v8::Local<v8::Value> stack;
    if (try_catch.StackTrace(context).ToLocal(&stack) && stack->IsString())
      std::fprintf(stderr, "%s\n", ToString(isolate, stack).c_str());
    else
      std::fprintf(stderr, "%s\n", ToString(isolate, try_catch.Exception()).c_str());
    return 1;
  }
  // Pending tasks (e.g. WebAssembly compilation, finalizers) run before the exit.
  while (v8::platform::PumpMessageLoop(platform, isolate)) {
  }
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  std::string source;
  const char* name = "<command line>";
  if (argc == 3 && std::strcmp(argv[1], "-e") == 0) {
    source = argv[2];
  } else if (argc == 2 && argv[1][0] != '-') {
    name = argv[1];
    if (!ReadFile(name, &source)) {
      std::fprintf(stderr, "v8-host: %s: %s\n", name, std::strerror(errno));
      return 2;
    }
  } else {
    std::fprintf(stderr, "usage: v8-host FILE.js | v8-host -e CODE\n");
    return 2;
  }
  std::unique_ptr<v8::Platform> platform = v8::platform::NewDefaultPlatform();
  v8::V8::InitializePlatform(platform.get());
  v8::V8::Initialize();
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = v8::ArrayBuffer::Allocator::NewDefaultAllocator();
  v8::Isolate* isolate = v8::Isolate::New(params);
  int status;
  {
    v8::Isolate::Scope isolate_scope(isolate);
    status = Run(isolate, platform.get(), source, name);
  }
  isolate->Dispose();
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
  delete params.array_buffer_allocator;
  return status;
}
