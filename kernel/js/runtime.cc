// The JavaScript runtime: V8 on the kernel. One isolate per app for now; the console and
// `isolate` objects; the entry script from the initrd; the event loop until no work is left.
#include <libplatform/libplatform.h>
#include <v8.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "js.h"

extern "C" {
#include "../core/clock.h"
#include "../core/log.h"
#include "../core/memory.h"
#include "../core/random.h"
}

namespace {

std::unique_ptr<v8::Platform> g_platform;

bool EntropySource(unsigned char* buffer, size_t length) {
  random_bytes(buffer, length);
  return true;
}

std::string ToString(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 ? std::string(*utf8, utf8.length()) : std::string("<unprintable>");
}

// Per-app state reached from the isolate (its data slot 0).
struct App {
  bool exit_requested = false;
  int exit_code = 0;
};

App* AppOf(v8::Isolate* isolate) { return static_cast<App*>(isolate->GetData(0)); }

// console.log and friends: arguments formatted by the JS side (lib/console.js), one line.
void Write(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::string line = args.Length() > 0 ? ToString(isolate, args[0]) : std::string();
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

void Exit(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  App* app = AppOf(isolate);
  app->exit_requested = true;
  app->exit_code = args.Length() > 0 ? args[0]->Int32Value(isolate->GetCurrentContext()).FromMaybe(1) : 0;
  isolate->TerminateExecution();
}

// Milliseconds since the kernel's first instruction (isolate.uptime()).
void Uptime(const v8::FunctionCallbackInfo<v8::Value>& args) {
  args.GetReturnValue().Set(static_cast<double>(clock_monotonic_ns()) / 1e6);
}

// The JS side of the runtime (console formatting, the isolate object), compiled into the
// kernel from kernel/js/lib/runtime.js by the build (runtime_js.cc).
extern "C" const char runtime_js_source[];

void ReportException(v8::Isolate* isolate, v8::TryCatch* try_catch) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> stack;
  std::string text;
  if (try_catch->StackTrace(context).ToLocal(&stack) && stack->IsString()) {
    text = ToString(isolate, stack);
  } else {
    text = ToString(isolate, try_catch->Exception());
    v8::Local<v8::Message> message = try_catch->Message();
    if (!message.IsEmpty()) {
      text += " (" + ToString(isolate, message->GetScriptResourceName()) + ":" +
              std::to_string(message->GetLineNumber(context).FromMaybe(0)) + ")";
    }
  }
  std::fprintf(stderr, "Uncaught %s\n", text.c_str());
  std::fflush(stderr);
}

bool Run(v8::Isolate* isolate, v8::Local<v8::Context> context, const char* name, const char* source, size_t len,
         v8::Local<v8::Value>* result) {
  v8::TryCatch try_catch(isolate);
  v8::ScriptOrigin origin(isolate, v8::String::NewFromUtf8(isolate, name).ToLocalChecked());
  v8::Local<v8::String> code;
  v8::Local<v8::Script> script;
  if (!v8::String::NewFromUtf8(isolate, source, v8::NewStringType::kNormal, static_cast<int>(len)).ToLocal(&code) ||
      !v8::Script::Compile(context, code, &origin).ToLocal(&script) || !script->Run(context).ToLocal(result)) {
    if (try_catch.HasTerminated() && AppOf(isolate)->exit_requested) return true;
    ReportException(isolate, &try_catch);
    return false;
  }
  return true;
}

}  // namespace

extern "C" const char* js_engine_version(void) { return v8::V8::GetVersion(); }

extern "C" int js_init(void) {
  v8::V8::SetEntropySource(EntropySource);
  // One worker thread (a kernel thread): there is one CPU.
  g_platform = v8::platform::NewDefaultPlatform(1);
  v8::V8::InitializePlatform(g_platform.get());
  if (!v8::V8::Initialize()) {
    kprintf("js: V8 failed to initialise\n");
    return -1;
  }
  return 0;
}

extern "C" int js_run_app(const char* main_path, const char* source, size_t source_len, const char* config_json,
                          size_t config_len) {
  v8::Isolate::CreateParams params;
  // Heap limits from the machine's memory (V8 otherwise assumes a desktop's 1.4 GiB old space
  // and runs the VM out of memory before it collects).
  params.constraints.ConfigureDefaults(memory_max_phys, 0);
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  params.array_buffer_allocator = allocator.get();
  v8::Isolate* isolate = v8::Isolate::New(params);
  App app;
  isolate->SetData(0, &app);
  int status = 0;
  {
    v8::Isolate::Scope isolate_scope(isolate);
    v8::HandleScope handles(isolate);
    v8::Local<v8::ObjectTemplate> global = v8::ObjectTemplate::New(isolate);
    v8::Local<v8::ObjectTemplate> native = v8::ObjectTemplate::New(isolate);
    native->Set(isolate, "write", v8::FunctionTemplate::New(isolate, Write));
    native->Set(isolate, "exit", v8::FunctionTemplate::New(isolate, Exit));
    native->Set(isolate, "uptime", v8::FunctionTemplate::New(isolate, Uptime));
    global->Set(isolate, "__native", native);
    v8::Local<v8::Context> context = v8::Context::New(isolate, nullptr, global);
    v8::Context::Scope context_scope(context);
    v8::Local<v8::Value> ignored;
    // The runtime library sets up console and isolate, reading the config it is given.
    v8::Local<v8::Object> g = context->Global();
    g->Set(context, v8::String::NewFromUtf8Literal(isolate, "__config"),
           v8::String::NewFromUtf8(isolate, config_json, v8::NewStringType::kNormal, static_cast<int>(config_len))
               .ToLocalChecked())
        .Check();
    if (!Run(isolate, context, "runtime.js", runtime_js_source, std::strlen(runtime_js_source), &ignored) ||
        !Run(isolate, context, main_path, source, source_len, &ignored)) {
      status = 1;
    }
    // The event loop: V8's own tasks and microtasks, until nothing is left.
    while (status == 0 && !app.exit_requested && v8::platform::PumpMessageLoop(g_platform.get(), isolate)) {
    }
    if (app.exit_requested) status = app.exit_code;
  }
  isolate->Dispose();
  return status;
}
