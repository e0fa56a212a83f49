#include "core/db/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/log/log.h"
#include "core/util/error.h"

namespace sx::db {
namespace {

[[noreturn]] void Fail(sqlite3* db, std::string_view what) {
  int code = sqlite3_extended_errcode(db);
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db);
  if ((code & 0xff) == SQLITE_CONSTRAINT) throw Error::Conflict(msg);
  throw Error(ErrorCode::kInternal, msg);
}

class SqliteConn final : public Conn {
 public:
  SqliteConn(const std::string& path, bool writer) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw Error(ErrorCode::kInternal, "cannot open " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    ExecScript("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
    if (writer)
      ExecScript("PRAGMA journal_mode=WAL;");
    else
      ExecScript("PRAGMA query_only=ON;");
  }
  ~SqliteConn() override {
    for (auto& [_, st] : cache_) sqlite3_finalize(st);
    sqlite3_close(db_);
  }

  Rows Query(std::string_view sql, std::span<const Value> params) override {
    sqlite3_stmt* st = Prepare(sql, params);
    Rows rows;
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        Fail(db_, "query");
      }
      int n = sqlite3_column_count(st);
      std::vector<Value> cols;
      cols.reserve(n);
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(st, i)) {
          case SQLITE_INTEGER:
            cols.emplace_back(int64_t{sqlite3_column_int64(st, i)});
            break;
          case SQLITE_FLOAT:
            cols.emplace_back(sqlite3_column_double(st, i));
            break;
          case SQLITE_NULL:
            cols.emplace_back(std::monostate{});
            break;
          case SQLITE_BLOB: {
            auto p = static_cast<const char*>(sqlite3_column_blob(st, i));
            int n = sqlite3_column_bytes(st, i);
            cols.emplace_back(p ? std::string(p, n) : std::string());
            break;
          }
          default: {
            auto p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
            cols.emplace_back(std::string(p, sqlite3_column_bytes(st, i)));
          }
        }
      }
      rows.emplace_back(std::move(cols));
    }
    sqlite3_reset(st);
    return rows;
  }

  int64_t Exec(std::string_view sql, std::span<const Value> params) override {
    sqlite3_stmt* st = Prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) Fail(db_, "exec");
    return sqlite3_changes(db_);
  }

  void ExecScript(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "error";
      sqlite3_free(err);
      int code = sqlite3_extended_errcode(db_);
      if ((code & 0xff) == SQLITE_CONSTRAINT) throw Error::Conflict(msg);
      throw Error(ErrorCode::kInternal, "sqlite: " + msg);
    }
  }

 private:
  sqlite3_stmt* Prepare(std::string_view sql, std::span<const Value> params) {
    std::string key(sql);
    sqlite3_stmt* st;
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      st = it->second;
    } else {
      std::string rewritten = RewritePlaceholders(sql);
      if (sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size()),
                             SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
        Fail(db_, "prepare");
      cache_.emplace(std::move(key), st);
    }
    sqlite3_clear_bindings(st);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const Value& v = params[i];
      if (auto p = std::get_if<int64_t>(&v))
        sqlite3_bind_int64(st, idx, *p);
      else if (auto p = std::get_if<double>(&v))
        sqlite3_bind_double(st, idx, *p);
      else if (auto p = std::get_if<std::string>(&v))
        sqlite3_bind_text(st, idx, p->data(), static_cast<int>(p->size()), SQLITE_TRANSIENT);
      else if (auto p = std::get_if<Blob>(&v))
        sqlite3_bind_blob64(st, idx, p->bytes.data(), p->bytes.size(), SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(st, idx);
    }
    return st;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, const OpenOptions& opts)
      : path_(path), max_batch_(opts.max_batch) {
    writer_conn_ = std::make_unique<SqliteConn>(path, /*writer=*/true);
    for (int i = 0; i < opts.read_pool; ++i)
      idle_readers_.push_back(std::make_unique<SqliteConn>(path, /*writer=*/false));
    pool_size_ = opts.read_pool;
    writer_ = std::thread([this] { WriterLoop(); });
  }
  ~SqliteDatabase() override { Close(); }

  Kind kind() const override { return Kind::kSqlite; }
  std::string_view KindName() const override { return "sqlite"; }

  void Read(const std::function<void(Conn&)>& fn) override {
    std::unique_ptr<SqliteConn> c;
    {
      std::unique_lock lk(read_mu_);
      read_cv_.wait(lk, [&] { return !idle_readers_.empty() || closed_; });
      if (closed_) throw Error(ErrorCode::kUnavailable, "database closed");
      c = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    struct Return {
      SqliteDatabase* self;
      std::unique_ptr<SqliteConn>& c;
      ~Return() {
        std::lock_guard lk(self->read_mu_);
        self->idle_readers_.push_back(std::move(c));
        self->read_cv_.notify_one();
      }
    } ret{this, c};
    c->Exec("BEGIN", {});  // prepared once per connection, unlike ExecScript
    try {
      fn(*c);
    } catch (...) {
      c->Exec("ROLLBACK", {});
      throw;
    }
    c->Exec("COMMIT", {});
  }

  void WriteAsync(std::function<void(Conn&)> fn) override {
    auto* job = new Job{nullptr, {}, std::move(fn), true};
    job->fn = &job->owned;
    {
      std::lock_guard lk(write_mu_);
      if (closed_) {
        delete job;
        return;
      }
      queue_.push_back(job);
      ++queue_depth_;
    }
    write_cv_.notify_one();
  }

  void Write(const std::function<void(Conn&)>& fn) override {
    Job job{&fn, {}, {}, false};
    auto done = job.done.get_future();
    {
      std::lock_guard lk(write_mu_);
      if (closed_) throw Error(ErrorCode::kUnavailable, "database closed");
      queue_.push_back(&job);
      ++queue_depth_;
    }
    write_cv_.notify_one();
    done.get();  // rethrows the callback's or the commit's exception
  }

  Stats GetStats() const override {
    Stats s;
    {
      std::lock_guard lk(read_mu_);
      s.read_pool_size = pool_size_;
      s.read_pool_in_use = pool_size_ - static_cast<int64_t>(idle_readers_.size());
    }
    s.write_queue_depth = queue_depth_.load();
    s.writes_committed = writes_committed_.load();
    s.commits = commits_.load();
    return s;
  }

  void Close() override {
    {
      std::lock_guard lk(write_mu_);
      if (closed_) return;
      closed_ = true;
    }
    write_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    {
      std::lock_guard lk(read_mu_);
      read_cv_.notify_all();
    }
    writer_conn_.reset();
  }

 private:
  struct Job {
    const std::function<void(Conn&)>* fn;
    std::promise<void> done;
    std::function<void(Conn&)> owned;  // WriteAsync: the job owns its callback
    bool detached;                     // WriteAsync: nobody waits; the writer deletes the job
  };

  // Completes a job: wakes its waiter, or deletes a detached one.
  static void Finish(Job* j, std::exception_ptr e) {
    if (j->detached) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          log::Warn("background write failed: {}", ex.what());
        }
      }
      delete j;
      return;
    }
    if (e)
      j->done.set_exception(e);
    else
      j->done.set_value();
  }

  void WriterLoop() {
    for (;;) {
      std::vector<Job*> batch;
      {
        std::unique_lock lk(write_mu_);
        write_cv_.wait(lk, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty() && closed_) return;
        while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
        queue_depth_ -= static_cast<int64_t>(batch.size());
      }
      RunBatch(batch);
    }
  }

  void RunBatch(const std::vector<Job*>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    try {
      writer_conn_->ExecScript("BEGIN IMMEDIATE");
    } catch (...) {
      for (auto* j : batch) Finish(j, std::current_exception());
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      writer_conn_->ExecScript("SAVEPOINT job");
      try {
        (*batch[i]->fn)(*writer_conn_);
        writer_conn_->ExecScript("RELEASE job");
      } catch (...) {
        errors[i] = std::current_exception();
        writer_conn_->ExecScript("ROLLBACK TO job; RELEASE job");
      }
    }
    try {
      writer_conn_->ExecScript("COMMIT");
    } catch (...) {
      auto e = std::current_exception();
      try {
        writer_conn_->ExecScript("ROLLBACK");
      } catch (...) {
      }
      for (auto* j : batch) Finish(j, e);
      return;
    }
    ++commits_;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!errors[i]) ++writes_committed_;
      Finish(batch[i], errors[i]);
    }
  }

  std::string path_;
  int max_batch_;
  int64_t pool_size_ = 0;
  std::unique_ptr<SqliteConn> writer_conn_;  // used only by the writer thread

  mutable std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<std::unique_ptr<SqliteConn>> idle_readers_;  // guarded by read_mu_

  std::mutex write_mu_;
  std::condition_variable write_cv_;
  std::deque<Job*> queue_;  // guarded by write_mu_
  std::atomic<bool> closed_{false};
  std::atomic<int64_t> queue_depth_{0};
  std::atomic<int64_t> writes_committed_{0};
  std::atomic<int64_t> commits_{0};
  std::thread writer_;
};

}  // namespace

std::unique_ptr<Database> OpenSqlite(const std::string& path, const OpenOptions& opts) {
  if (sqlite3_threadsafe() == 0) throw Error(ErrorCode::kInternal, "sqlite built without threads");
  return std::make_unique<SqliteDatabase>(path, opts);
}

}  // namespace sx::db
