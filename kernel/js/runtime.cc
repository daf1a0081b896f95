// The JavaScript runtime: V8 on the kernel. One isolate per app for now; the console and
// `isolate` objects; the entry script from the initrd; the event loop until no work is left.
#include <libplatform/libplatform.h>
#include <v8.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "js.h"
#include "platform.h"

extern "C" {
#include "../core/app_log.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../core/memory.h"
#include "../core/random.h"
#include "../core/sched.h"
}

namespace {

std::unique_ptr<KernelPlatform> g_platform;

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
  std::string name = "app";                 // the image's name: the log channel's isolate name
  bool exit_requested = false;
  int exit_code = 0;
  v8::Global<v8::Function> run_timers;      // lib/runtime.js: runs due timers, returns the next deadline
  v8::Global<v8::Map> unhandled;            // rejected promises nobody handled (yet)
};

App* AppOf(v8::Isolate* isolate) { return static_cast<App*>(isolate->GetData(0)); }

// console.log and friends: arguments formatted by the JS side (lib/runtime.js) into one
// message, with its level, onto the log channel.
void Write(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::string text = args.Length() > 0 ? ToString(isolate, args[0]) : std::string();
  int level = args.Length() > 1 ? args[1]->Int32Value(isolate->GetCurrentContext()).FromMaybe(LOG_LEVEL_INFO)
                                : LOG_LEVEL_INFO;
  if (level < LOG_LEVEL_DEBUG || level > LOG_LEVEL_ERROR) level = LOG_LEVEL_INFO;
  app_log_write(AppOf(isolate)->name.c_str(), static_cast<log_level>(level), text.data(), text.size());
}

// Runtime reports (uncaught exceptions, unhandled rejections): error records of the isolate.
void LogError(v8::Isolate* isolate, const std::string& text) {
  app_log_write(AppOf(isolate)->name.c_str(), LOG_LEVEL_ERROR, text.data(), text.size());
}

void Exit(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  App* app = AppOf(isolate);
  app->exit_requested = true;
  app->exit_code = args.Length() > 0 ? args[0]->Int32Value(isolate->GetCurrentContext()).FromMaybe(1) : 0;
  isolate->TerminateExecution();
}

// The JS side hands over its timer runner: called by the event loop, it runs the timers and
// immediates that are due and returns the next deadline (uptime ms), or -1 when none is left.
void SetTimerRunner(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (args.Length() > 0 && args[0]->IsFunction()) AppOf(isolate)->run_timers.Reset(isolate, args[0].As<v8::Function>());
}

// Unhandled rejections: remembered when they happen, forgotten when a handler is added later,
// reported (and the app failed) once the microtasks of a loop turn have run.
void OnPromiseReject(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  App* app = AppOf(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Map> map = app->unhandled.Get(isolate);
  if (message.GetEvent() == v8::kPromiseRejectWithNoHandler) {
    map->Set(context, promise, message.GetValue()).ToLocalChecked();
  } else if (message.GetEvent() == v8::kPromiseHandlerAddedAfterReject) {
    map->Delete(context, promise).Check();
  }
}

// readFile(path): the image's file as a string, or undefined (the module loader's only I/O).
void ReadFile(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::string path = ToString(isolate, args[0]);
  size_t len;
  const char* data = app_file(path.c_str(), &len);
  if (!data) return;
  v8::Local<v8::String> text;
  if (v8::String::NewFromUtf8(isolate, data, v8::NewStringType::kNormal, static_cast<int>(len)).ToLocal(&text))
    args.GetReturnValue().Set(text);
}

// compileFunction(source, filename, params...): a function whose body is the module source,
// compiled with the file's name so stacks say file:line:column.
void CompileFunction(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::String> source, name;
  if (!args[0]->ToString(context).ToLocal(&source) || !args[1]->ToString(context).ToLocal(&name)) return;
  std::vector<v8::Local<v8::String>> params;
  for (int i = 2; i < args.Length(); i++) params.push_back(args[i].As<v8::String>());
  v8::ScriptOrigin origin(isolate, name);
  v8::ScriptCompiler::Source src(source, origin);
  v8::Local<v8::Function> fn;
  if (v8::ScriptCompiler::CompileFunction(context, &src, params.size(), params.data(), 0, nullptr).ToLocal(&fn))
    args.GetReturnValue().Set(fn);
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
  LogError(isolate, "Uncaught " + text);
}

bool Run(v8::Isolate* isolate, v8::Local<v8::Context> context, const char* name, const char* source, size_t len) {
  v8::TryCatch try_catch(isolate);
  v8::ScriptOrigin origin(isolate, v8::String::NewFromUtf8(isolate, name).ToLocalChecked());
  v8::Local<v8::String> code;
  v8::Local<v8::Script> script;
  if (!v8::String::NewFromUtf8(isolate, source, v8::NewStringType::kNormal, static_cast<int>(len)).ToLocal(&code) ||
      !v8::Script::Compile(context, code, &origin).ToLocal(&script) || script->Run(context).IsEmpty()) {
    if (try_catch.HasTerminated() && AppOf(isolate)->exit_requested) return true;
    ReportException(isolate, &try_catch);
    return false;
  }
  return true;
}

// Reports unhandled rejections; true when there was one.
bool ReportUnhandled(v8::Isolate* isolate, v8::Local<v8::Context> context, App* app) {
  v8::Local<v8::Map> map = app->unhandled.Get(isolate);
  if (map->Size() == 0) return false;
  v8::Local<v8::Array> pairs = map->AsArray();
  v8::Local<v8::Value> reason = pairs->Get(context, 1).ToLocalChecked();
  std::string text;
  v8::Local<v8::Value> stack;
  if (reason->IsObject() &&
      reason.As<v8::Object>()->Get(context, v8::String::NewFromUtf8Literal(isolate, "stack")).ToLocal(&stack) &&
      stack->IsString()) {
    text = ToString(isolate, stack);
  } else {
    text = ToString(isolate, reason);
  }
  LogError(isolate, "Unhandled promise rejection: " + text);
  return true;
}

// The event loop: V8's foreground tasks, the app's timers and immediates, microtasks (run by
// V8 when each call returns), until no work is left or the app exits. Between deadlines the
// app's thread sleeps on a kernel timer. Returns the exit status.
int EventLoop(v8::Isolate* isolate, v8::Local<v8::Context> context, App* app) {
  for (;;) {
    g_platform->RunForegroundTasks(isolate);
    if (app->exit_requested) return app->exit_code;
    if (ReportUnhandled(isolate, context, app)) return 1;
    double next = -1;
    if (!app->run_timers.IsEmpty()) {
      v8::TryCatch try_catch(isolate);
      v8::Local<v8::Value> result;
      if (!app->run_timers.Get(isolate)->Call(context, context->Global(), 0, nullptr).ToLocal(&result)) {
        if (app->exit_requested) return app->exit_code;
        ReportException(isolate, &try_catch);
        return 1;
      }
      next = result->NumberValue(context).FromMaybe(-1);
    }
    if (app->exit_requested) return app->exit_code;
    if (ReportUnhandled(isolate, context, app)) return 1;
    if (next < 0) {
      // No timers or immediates: the app lives on only while V8 still has work that can come
      // back to it (background tasks, ready foreground tasks). V8's delayed housekeeping tasks
      // do not keep it alive.
      if (!g_platform->HasPendingWork(isolate)) return 0;
      g_platform->WaitForForegroundWork(isolate, 0);
      continue;
    }
    // Sleep until the next timer, waking early for V8's own foreground tasks (posted by its
    // worker threads, or delayed ones coming due).
    uint64_t deadline = next <= 0 ? 1 : static_cast<uint64_t>(next * 1e6);
    if (deadline > clock_monotonic_ns()) g_platform->WaitForForegroundWork(isolate, deadline);
  }
}

// The "name" of the image config (runtime.json), or "app" when it has none.
std::string ImageName(v8::Isolate* isolate, v8::Local<v8::Context> context, const char* json, size_t len) {
  v8::Local<v8::String> text;
  v8::Local<v8::Value> config, name;
  if (v8::String::NewFromUtf8(isolate, json, v8::NewStringType::kNormal, static_cast<int>(len)).ToLocal(&text) &&
      v8::JSON::Parse(context, text).ToLocal(&config) && config->IsObject() &&
      config.As<v8::Object>()->Get(context, v8::String::NewFromUtf8Literal(isolate, "name")).ToLocal(&name) &&
      name->IsString() && name.As<v8::String>()->Length() > 0)
    return ToString(isolate, name);
  return "app";
}

}  // namespace

extern "C" const char* js_engine_version(void) { return v8::V8::GetVersion(); }

extern "C" int js_init(void) {
  v8::V8::SetEntropySource(EntropySource);
  // One worker thread (a kernel thread): there is one CPU.
  g_platform = NewKernelPlatform(1);
  v8::V8::InitializePlatform(g_platform.get());
  if (!v8::V8::Initialize()) {
    kprintf("js: V8 failed to initialise\n");
    return -1;
  }
  return 0;
}

extern "C" int js_run_app(const char* config_json, size_t config_len) {
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
    native->Set(isolate, "setTimerRunner", v8::FunctionTemplate::New(isolate, SetTimerRunner));
    native->Set(isolate, "readFile", v8::FunctionTemplate::New(isolate, ReadFile));
    native->Set(isolate, "compileFunction", v8::FunctionTemplate::New(isolate, CompileFunction));
    global->Set(isolate, "__native", native);
    v8::Local<v8::Context> context = v8::Context::New(isolate, nullptr, global);
    v8::Context::Scope context_scope(context);
    app.unhandled.Reset(isolate, v8::Map::New(isolate));
    app.name = ImageName(isolate, context, config_json, config_len);
    isolate->SetPromiseRejectCallback(OnPromiseReject);
    // The runtime library sets up console and isolate, reading the config it is given.
    v8::Local<v8::Object> g = context->Global();
    g->Set(context, v8::String::NewFromUtf8Literal(isolate, "__config"),
           v8::String::NewFromUtf8(isolate, config_json, v8::NewStringType::kNormal, static_cast<int>(config_len))
               .ToLocalChecked())
        .Check();
    // runtime.js sets up the globals, then loads the app's main module.
    if (!Run(isolate, context, "runtime.js", runtime_js_source, std::strlen(runtime_js_source))) {
      status = 1;
    }
    if (status == 0) status = EventLoop(isolate, context, &app);
    app.run_timers.Reset();   // handles go before their isolate does
    app.unhandled.Reset();
    if (app.exit_requested) status = app.exit_code;
  }
  isolate->Dispose();
  return status;
}
