// The kernel's v8::Platform: worker tasks on kernel threads, each isolate's foreground tasks
// in a queue the app's event loop runs, delayed tasks by monotonic deadline (the event loop
// sleeps on a kernel timer until the next one), time from the kernel clocks.
#pragma once
#include <v8-platform.h>

#include <memory>

class KernelPlatform;

// Creates the platform with `workers` kernel threads for background tasks.
std::unique_ptr<KernelPlatform> NewKernelPlatform(int workers);

class KernelPlatform : public v8::Platform {
 public:
  // For the event loop: runs the isolate's due foreground tasks; returns how many ran.
  virtual int RunForegroundTasks(v8::Isolate* isolate) = 0;
  // Sleeps until a foreground task is posted or due, or `deadline_ns` (monotonic) passes; with
  // no deadline (0), until then or until no background task is left.
  virtual void WaitForForegroundWork(v8::Isolate* isolate, uint64_t deadline_ns) = 0;
  // Whether work can still arrive: foreground tasks ready, or background tasks not finished
  // (an async WebAssembly compile, for example, ends with a foreground task).
  virtual bool HasPendingWork(v8::Isolate* isolate) = 0;
  // Monotonic nanoseconds of the isolate's next delayed task, or 0 when there is none.
  virtual uint64_t NextForegroundDeadline(v8::Isolate* isolate) = 0;
};
