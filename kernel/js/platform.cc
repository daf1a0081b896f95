#include "platform.h"

#include <libplatform/libplatform.h>

#include <deque>
#include <map>
#include <utility>
#include <vector>

extern "C" {
#include "../core/clock.h"
#include "../core/sched.h"
#include "../core/sync.h"
}

#include "page_allocator.h"

namespace {

constexpr size_t kWorkerStackSize = 1 << 20;

uint64_t DeadlineAfter(double seconds) {
  if (seconds < 0) seconds = 0;
  return clock_monotonic_ns() + static_cast<uint64_t>(seconds * 1e9);
}

// Tasks that are ready, and delayed ones by deadline; safe to use from any kernel thread.
class TaskQueue {
 public:
  TaskQueue() {
    mutex_init(&lock_, false);
    condvar_init(&changed_);
  }

  void Post(std::unique_ptr<v8::Task> task) {
    mutex_lock(&lock_);
    ready_.push_back(std::move(task));
    condvar_broadcast(&changed_);
    mutex_unlock(&lock_);
  }

  void PostDelayed(std::unique_ptr<v8::Task> task, double delay_seconds) {
    mutex_lock(&lock_);
    delayed_.emplace(DeadlineAfter(delay_seconds), std::move(task));
    condvar_broadcast(&changed_);
    mutex_unlock(&lock_);
  }

  // A ready or due task, or nullptr.
  std::unique_ptr<v8::Task> TryPop() {
    mutex_lock(&lock_);
    std::unique_ptr<v8::Task> task = PopLocked();
    mutex_unlock(&lock_);
    return task;
  }

  // Waits for a task (or until terminated, or `deadline_ns` passes when it is not 0).
  std::unique_ptr<v8::Task> WaitPop(uint64_t deadline_ns) {
    mutex_lock(&lock_);
    std::unique_ptr<v8::Task> task;
    while (!terminated_ && !(task = PopLocked())) {
      uint64_t wake = NextDeadlineLocked();
      if (deadline_ns && (!wake || deadline_ns < wake)) wake = deadline_ns;
      if (deadline_ns && clock_monotonic_ns() >= deadline_ns) break;
      condvar_wait_until(&changed_, &lock_, wake);
    }
    mutex_unlock(&lock_);
    return task;
  }

  // Waits until a task is ready or due, or `deadline_ns` passes, or (with no deadline)
  // `nothing_pending()` says no work can come; takes nothing.
  template <typename Idle>
  void Wait(uint64_t deadline_ns, Idle nothing_pending) {
    mutex_lock(&lock_);
    while (ready_.empty() && !terminated_) {
      uint64_t wake = NextDeadlineLocked();
      if (deadline_ns && (!wake || deadline_ns < wake)) wake = deadline_ns;
      if (wake && clock_monotonic_ns() >= wake) break;
      if (!deadline_ns && nothing_pending()) break;
      condvar_wait_until(&changed_, &lock_, wake);
    }
    mutex_unlock(&lock_);
  }

  bool HasReady() {
    mutex_lock(&lock_);
    bool ready = !ready_.empty();
    mutex_unlock(&lock_);
    return ready;
  }

  // Makes waiters look again (the background went idle).
  void Wake() {
    mutex_lock(&lock_);
    condvar_broadcast(&changed_);
    mutex_unlock(&lock_);
  }

  uint64_t NextDeadline() {
    mutex_lock(&lock_);
    uint64_t d = ready_.empty() ? NextDeadlineLocked() : clock_monotonic_ns();
    mutex_unlock(&lock_);
    return d;
  }

  void Terminate() {
    mutex_lock(&lock_);
    terminated_ = true;
    condvar_broadcast(&changed_);
    mutex_unlock(&lock_);
  }

 private:
  std::unique_ptr<v8::Task> PopLocked() {
    uint64_t now = clock_monotonic_ns();
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      ready_.push_back(std::move(delayed_.begin()->second));
      delayed_.erase(delayed_.begin());
    }
    if (ready_.empty()) return nullptr;
    std::unique_ptr<v8::Task> task = std::move(ready_.front());
    ready_.pop_front();
    return task;
  }
  uint64_t NextDeadlineLocked() const { return delayed_.empty() ? 0 : delayed_.begin()->first; }

  struct mutex lock_;
  struct condvar changed_;
  std::deque<std::unique_ptr<v8::Task>> ready_;
  std::multimap<uint64_t, std::unique_ptr<v8::Task>> delayed_;
  bool terminated_ = false;
};

// An isolate's foreground tasks: run by the app's event loop, on the app's thread.
class ForegroundRunner final : public v8::TaskRunner {
 public:
  void PostTask(std::unique_ptr<v8::Task> task) override { queue.Post(std::move(task)); }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override { queue.Post(std::move(task)); }
  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay) override { queue.PostDelayed(std::move(task), delay); }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task, double delay) override {
    queue.PostDelayed(std::move(task), delay);
  }
  void PostIdleTask(std::unique_ptr<v8::IdleTask>) override {}   // IdleTasksEnabled() is false
  bool IdleTasksEnabled() override { return false; }
  bool NonNestableTasksEnabled() const override { return true; }
  bool NonNestableDelayedTasksEnabled() const override { return true; }

  TaskQueue queue;
};

class Platform final : public KernelPlatform {
 public:
  explicit Platform(int workers) {
    mutex_init(&runners_lock_, false);
    for (int i = 0; i < workers; i++) {
      struct thread* t = thread_create("v8-worker", WorkerMain, this, kWorkerStackSize);
      if (t) workers_.push_back(t);
    }
  }

  v8::PageAllocator* GetPageAllocator() override { return &page_allocator_; }
  int NumberOfWorkerThreads() override { return static_cast<int>(workers_.size()); }

  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate) override { return RunnerOf(isolate); }

  void CallOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    __atomic_add_fetch(&background_outstanding_, 1, __ATOMIC_SEQ_CST);
    background_.Post(std::make_unique<CountedTask>(this, std::move(task)));
  }
  void CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task, double delay) override {
    background_.PostDelayed(std::move(task), delay);
  }
  bool IdleTasksEnabled(v8::Isolate*) override { return false; }

  std::unique_ptr<v8::JobHandle> PostJob(v8::TaskPriority priority, std::unique_ptr<v8::JobTask> job) override {
    return v8::platform::NewDefaultJobHandle(this, priority, std::move(job), workers_.size());
  }

  double MonotonicallyIncreasingTime() override { return static_cast<double>(clock_monotonic_ns()) / 1e9; }
  double CurrentClockTimeMillis() override { return static_cast<double>(clock_realtime_ns()) / 1e6; }
  v8::TracingController* GetTracingController() override { return &tracing_; }

  int RunForegroundTasks(v8::Isolate* isolate) override {
    std::shared_ptr<ForegroundRunner> runner = RunnerOf(isolate);
    int ran = 0;
    while (std::unique_ptr<v8::Task> task = runner->queue.TryPop()) {
      task->Run();
      ran++;
    }
    return ran;
  }

  void WaitForForegroundWork(v8::Isolate* isolate, uint64_t deadline_ns) override {
    RunnerOf(isolate)->queue.Wait(deadline_ns, [this] { return BackgroundIdle(); });
  }

  bool HasPendingWork(v8::Isolate* isolate) override { return RunnerOf(isolate)->queue.HasReady() || !BackgroundIdle(); }

  uint64_t NextForegroundDeadline(v8::Isolate* isolate) override { return RunnerOf(isolate)->queue.NextDeadline(); }

 private:
  // A background task counted until it has run: the event loop keeps the app alive meanwhile.
  class CountedTask final : public v8::Task {
   public:
    CountedTask(Platform* platform, std::unique_ptr<v8::Task> task) : platform_(platform), task_(std::move(task)) {}
    void Run() override {
      task_->Run();
      task_.reset();
      if (__atomic_sub_fetch(&platform_->background_outstanding_, 1, __ATOMIC_SEQ_CST) == 0) platform_->WakeAll();
    }

   private:
    Platform* platform_;
    std::unique_ptr<v8::Task> task_;
  };

  bool BackgroundIdle() { return __atomic_load_n(&background_outstanding_, __ATOMIC_SEQ_CST) == 0; }

  void WakeAll() {
    mutex_lock(&runners_lock_);
    for (auto& entry : runners_) entry.second->queue.Wake();
    mutex_unlock(&runners_lock_);
  }

  static void* WorkerMain(void* arg) {
    Platform* self = static_cast<Platform*>(arg);
    while (std::unique_ptr<v8::Task> task = self->background_.WaitPop(0)) task->Run();
    return nullptr;
  }

  std::shared_ptr<ForegroundRunner> RunnerOf(v8::Isolate* isolate) {
    mutex_lock(&runners_lock_);
    std::shared_ptr<ForegroundRunner>& r = runners_[isolate];
    if (!r) r = std::make_shared<ForegroundRunner>();
    std::shared_ptr<ForegroundRunner> result = r;
    mutex_unlock(&runners_lock_);
    return result;
  }

  KernelPageAllocator page_allocator_;
  v8::TracingController tracing_;
  TaskQueue background_;
  std::vector<struct thread*> workers_;
  int background_outstanding_ = 0;
  struct mutex runners_lock_;
  std::map<v8::Isolate*, std::shared_ptr<ForegroundRunner>> runners_;
};

}  // namespace

std::unique_ptr<KernelPlatform> NewKernelPlatform(int workers) { return std::make_unique<Platform>(workers); }
