// Array.prototype.sort as V8 11.3 (Node 20) runs it: TimSort from
// v8/third_party/v8/builtins/array-sort.tq, itself a port of CPython's listsort.
//
// Why not std::stable_sort: Yjs's mergeUpdates sorts its struct readers with a comparator that is
// not a consistent order (a GC and an Item at the same id each compare "less" than the other).
// The result then depends on exactly which comparisons the sort makes and in which argument
// order, so byte-identical output needs V8's algorithm, comparison for comparison.
// (Newer V8 releases sort arrays shorter than 10 by binary insertion alone; Node 20 does not.)
#pragma once
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace sx::yjs {

// Sorts `a` in place. `compare(x, y)` returns < 0, 0 or > 0 like a JavaScript comparator.
template <typename T, typename Compare>
class V8Sort {
 public:
  V8Sort(std::vector<T>& a, Compare compare) : a_(a), compare_(compare) {}

  // ArrayTimSortImpl
  void Run() {
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(a_.size());
    if (n < 2) return;
    const std::ptrdiff_t min_run = MinRunLength(n);
    std::ptrdiff_t low = 0;
    std::ptrdiff_t remaining = n;
    while (remaining != 0) {
      std::ptrdiff_t run = CountAndMakeRun(low, low + remaining);
      if (run < min_run) {
        const std::ptrdiff_t forced = std::min(min_run, remaining);
        BinaryInsertionSort(low, low + run, low + forced);
        run = forced;
      }
      runs_.push_back({low, run});
      MergeCollapse();
      low += run;
      remaining -= run;
    }
    MergeForceCollapse();
  }

 private:
  struct PendingRun {
    std::ptrdiff_t base;
    std::ptrdiff_t length;
  };
  static constexpr int kMinGallopWins = 7;

  bool Less(const T& x, const T& y) { return compare_(x, y) < 0; }

  // ComputeMinRunLength
  static std::ptrdiff_t MinRunLength(std::ptrdiff_t n) {
    std::ptrdiff_t r = 0;
    while (n >= 64) {
      r |= n & 1;
      n >>= 1;
    }
    return n + r;
  }

  // Sorts [low, high) given that [low, start) is sorted.
  void BinaryInsertionSort(std::ptrdiff_t low, std::ptrdiff_t start, std::ptrdiff_t high) {
    if (start == low) ++start;
    for (; start < high; ++start) {
      std::ptrdiff_t left = low;
      std::ptrdiff_t right = start;
      T pivot = a_[start];
      while (left < right) {
        const std::ptrdiff_t mid = left + ((right - left) >> 1);
        if (Less(pivot, a_[mid])) {
          right = mid;
        } else {
          left = mid + 1;
        }
      }
      for (std::ptrdiff_t p = start; p > left; --p) a_[p] = a_[p - 1];
      a_[left] = pivot;
    }
  }

  // Length of the run at `low`: ascending (a[i] <= a[i+1]) or strictly descending, in which case
  // it is reversed.
  std::ptrdiff_t CountAndMakeRun(std::ptrdiff_t low, std::ptrdiff_t high) {
    if (low + 1 == high) return 1;
    std::ptrdiff_t run = 2;
    const bool descending = Less(a_[low + 1], a_[low]);
    for (std::ptrdiff_t i = low + 2; i < high; ++i) {
      if (Less(a_[i], a_[i - 1]) != descending) break;
      ++run;
    }
    if (descending) std::reverse(a_.begin() + low, a_.begin() + low + run);
    return run;
  }

  // Offset in [0, length] where `key` belongs in sorted `v[base, base + length)`, left of any
  // equal elements; the search starts at `hint`.
  std::ptrdiff_t GallopLeft(const std::vector<T>& v, const T& key, std::ptrdiff_t base,
                            std::ptrdiff_t length, std::ptrdiff_t hint) {
    std::ptrdiff_t last = 0;
    std::ptrdiff_t offset = 1;
    if (Less(v[base + hint], key)) {
      const std::ptrdiff_t max = length - hint;
      while (offset < max && Less(v[base + hint + offset], key)) {
        last = offset;
        offset = (offset << 1) + 1;
      }
      offset = std::min(offset, max);
      last += hint;
      offset += hint;
    } else {
      const std::ptrdiff_t max = hint + 1;
      while (offset < max && !Less(v[base + hint - offset], key)) {
        last = offset;
        offset = (offset << 1) + 1;
      }
      offset = std::min(offset, max);
      const std::ptrdiff_t tmp = last;
      last = hint - offset;
      offset = hint - tmp;
    }
    ++last;
    while (last < offset) {
      const std::ptrdiff_t m = last + ((offset - last) >> 1);
      if (Less(v[base + m], key)) {
        last = m + 1;
      } else {
        offset = m;
      }
    }
    return offset;
  }

  // Like GallopLeft, but right of any equal elements.
  std::ptrdiff_t GallopRight(const std::vector<T>& v, const T& key, std::ptrdiff_t base,
                             std::ptrdiff_t length, std::ptrdiff_t hint) {
    std::ptrdiff_t last = 0;
    std::ptrdiff_t offset = 1;
    if (Less(key, v[base + hint])) {
      const std::ptrdiff_t max = hint + 1;
      while (offset < max && Less(key, v[base + hint - offset])) {
        last = offset;
        offset = (offset << 1) + 1;
      }
      offset = std::min(offset, max);
      const std::ptrdiff_t tmp = last;
      last = hint - offset;
      offset = hint - tmp;
    } else {
      const std::ptrdiff_t max = length - hint;
      while (offset < max && !Less(key, v[base + hint + offset])) {
        last = offset;
        offset = (offset << 1) + 1;
      }
      offset = std::min(offset, max);
      last += hint;
      offset += hint;
    }
    ++last;
    while (last < offset) {
      const std::ptrdiff_t m = last + ((offset - last) >> 1);
      if (Less(key, v[base + m])) {
        offset = m;
      } else {
        last = m + 1;
      }
    }
    return offset;
  }

  // V8's Copy builtin: copies back to front when the ranges may overlap that way.
  static void Copy(const std::vector<T>& src, std::ptrdiff_t from, std::vector<T>& dst,
                   std::ptrdiff_t to, std::ptrdiff_t length) {
    if (from < to) {
      for (std::ptrdiff_t i = length - 1; i >= 0; --i) dst[to + i] = src[from + i];
    } else {
      for (std::ptrdiff_t i = 0; i < length; ++i) dst[to + i] = src[from + i];
    }
  }

  // Merges run A = [base_a, base_a + length_a) into the following run B, A being the shorter.
  void MergeLow(std::ptrdiff_t base_a, std::ptrdiff_t length_a, std::ptrdiff_t base_b,
                std::ptrdiff_t length_b) {
    temp_.assign(a_.begin() + base_a, a_.begin() + base_a + length_a);
    std::ptrdiff_t dest = base_a;
    std::ptrdiff_t cursor_temp = 0;
    std::ptrdiff_t cursor_b = base_b;
    a_[dest++] = a_[cursor_b++];
    bool copy_b = false;  // Label CopyB (else Succeed)
    if (--length_b == 0) {
    } else if (length_a == 1) {
      copy_b = true;
    } else {
      for (bool done = false; !done;) {
        std::ptrdiff_t wins_a = 0;
        std::ptrdiff_t wins_b = 0;
        while (true) {
          if (Less(a_[cursor_b], temp_[cursor_temp])) {
            a_[dest++] = a_[cursor_b++];
            ++wins_b;
            --length_b;
            wins_a = 0;
            if (length_b == 0) done = true;
            if (done || wins_b >= min_gallop_) break;
          } else {
            a_[dest++] = temp_[cursor_temp++];
            ++wins_a;
            --length_a;
            wins_b = 0;
            if (length_a == 1) done = copy_b = true;
            if (done || wins_a >= min_gallop_) break;
          }
        }
        if (done) break;
        ++min_gallop_;
        bool first = true;
        while (wins_a >= kMinGallopWins || wins_b >= kMinGallopWins || first) {
          first = false;
          min_gallop_ = std::max(1, min_gallop_ - 1);
          wins_a = GallopRight(temp_, a_[cursor_b], cursor_temp, length_a, 0);
          if (wins_a > 0) {
            Copy(temp_, cursor_temp, a_, dest, wins_a);
            dest += wins_a;
            cursor_temp += wins_a;
            length_a -= wins_a;
            if (length_a == 1) done = copy_b = true;
            if (length_a == 0) done = true;
            if (done) break;
          }
          a_[dest++] = a_[cursor_b++];
          if (--length_b == 0) done = true;
          if (done) break;
          wins_b = GallopLeft(a_, temp_[cursor_temp], cursor_b, length_b, 0);
          if (wins_b > 0) {
            Copy(a_, cursor_b, a_, dest, wins_b);
            dest += wins_b;
            cursor_b += wins_b;
            length_b -= wins_b;
            if (length_b == 0) done = true;
            if (done) break;
          }
          a_[dest++] = temp_[cursor_temp++];
          if (--length_a == 1) done = copy_b = true;
          if (done) break;
        }
        if (!done) ++min_gallop_;  // penalty for leaving galloping mode
      }
    }
    if (copy_b) {
      Copy(a_, cursor_b, a_, dest, length_b);
      a_[dest + length_b] = temp_[cursor_temp];
    } else if (length_a > 0) {
      Copy(temp_, cursor_temp, a_, dest, length_a);
    }
  }

  // Merges run A into the following, shorter run B, from the back.
  void MergeHigh(std::ptrdiff_t base_a, std::ptrdiff_t length_a, std::ptrdiff_t base_b,
                 std::ptrdiff_t length_b) {
    temp_.assign(a_.begin() + base_b, a_.begin() + base_b + length_b);
    std::ptrdiff_t dest = base_b + length_b - 1;
    std::ptrdiff_t cursor_temp = length_b - 1;
    std::ptrdiff_t cursor_a = base_a + length_a - 1;
    a_[dest--] = a_[cursor_a--];
    bool copy_a = false;  // Label CopyA (else Succeed)
    if (--length_a == 0) {
    } else if (length_b == 1) {
      copy_a = true;
    } else {
      for (bool done = false; !done;) {
        std::ptrdiff_t wins_a = 0;
        std::ptrdiff_t wins_b = 0;
        while (true) {
          if (Less(temp_[cursor_temp], a_[cursor_a])) {
            a_[dest--] = a_[cursor_a--];
            ++wins_a;
            --length_a;
            wins_b = 0;
            if (length_a == 0) done = true;
            if (done || wins_a >= min_gallop_) break;
          } else {
            a_[dest--] = temp_[cursor_temp--];
            ++wins_b;
            --length_b;
            wins_a = 0;
            if (length_b == 1) done = copy_a = true;
            if (done || wins_b >= min_gallop_) break;
          }
        }
        if (done) break;
        ++min_gallop_;
        bool first = true;
        while (wins_a >= kMinGallopWins || wins_b >= kMinGallopWins || first) {
          first = false;
          min_gallop_ = std::max(1, min_gallop_ - 1);
          wins_a = length_a - GallopRight(a_, temp_[cursor_temp], base_a, length_a, length_a - 1);
          if (wins_a > 0) {
            dest -= wins_a;
            cursor_a -= wins_a;
            Copy(a_, cursor_a + 1, a_, dest + 1, wins_a);
            length_a -= wins_a;
            if (length_a == 0) done = true;
            if (done) break;
          }
          a_[dest--] = temp_[cursor_temp--];
          if (--length_b == 1) done = copy_a = true;
          if (done) break;
          wins_b = length_b - GallopLeft(temp_, a_[cursor_a], 0, length_b, length_b - 1);
          if (wins_b > 0) {
            dest -= wins_b;
            cursor_temp -= wins_b;
            Copy(temp_, cursor_temp + 1, a_, dest + 1, wins_b);
            length_b -= wins_b;
            if (length_b == 1) done = copy_a = true;
            if (length_b == 0) done = true;
            if (done) break;
          }
          a_[dest--] = a_[cursor_a--];
          if (--length_a == 0) done = true;
          if (done) break;
        }
        if (!done) ++min_gallop_;
      }
    }
    if (copy_a) {
      dest -= length_a;
      cursor_a -= length_a;
      Copy(a_, cursor_a + 1, a_, dest + 1, length_a);
      a_[dest] = temp_[cursor_temp];
    } else if (length_b > 0) {
      Copy(temp_, 0, a_, dest - (length_b - 1), length_b);
    }
  }

  // Merges the pending runs i and i + 1.
  void MergeAt(std::size_t i) {
    std::ptrdiff_t base_a = runs_[i].base;
    std::ptrdiff_t length_a = runs_[i].length;
    const std::ptrdiff_t base_b = runs_[i + 1].base;
    std::ptrdiff_t length_b = runs_[i + 1].length;
    runs_[i].length = length_a + length_b;
    runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    // Elements of A before where B's first belongs, and of B after where A's last belongs, are
    // already in place.
    const std::ptrdiff_t k = GallopRight(a_, a_[base_b], base_a, length_a, 0);
    base_a += k;
    length_a -= k;
    if (length_a == 0) return;
    length_b = GallopLeft(a_, a_[base_a + length_a - 1], base_b, length_b, length_b - 1);
    if (length_b == 0) return;
    if (length_a <= length_b) {
      MergeLow(base_a, length_a, base_b, length_b);
    } else {
      MergeHigh(base_a, length_a, base_b, length_b);
    }
  }

  std::ptrdiff_t RunLength(std::size_t i) const { return runs_[i].length; }

  // Whether run n - 2 is longer than runs n - 1 and n together.
  bool RunInvariantEstablished(std::size_t n) const {
    return n < 2 || RunLength(n - 2) > RunLength(n - 1) + RunLength(n);
  }

  void MergeCollapse() {
    while (runs_.size() > 1) {
      std::size_t n = runs_.size() - 2;
      if (!RunInvariantEstablished(n + 1) || !RunInvariantEstablished(n)) {
        if (RunLength(n - 1) < RunLength(n + 1)) --n;
        MergeAt(n);
      } else if (RunLength(n) <= RunLength(n + 1)) {
        MergeAt(n);
      } else {
        break;
      }
    }
  }

  void MergeForceCollapse() {
    while (runs_.size() > 1) {
      std::size_t n = runs_.size() - 2;
      if (n > 0 && RunLength(n - 1) < RunLength(n + 1)) --n;
      MergeAt(n);
    }
  }

  std::vector<T>& a_;
  Compare compare_;
  int min_gallop_ = kMinGallopWins;
  std::vector<PendingRun> runs_;
  std::vector<T> temp_;
};

template <typename T, typename Compare>
void SortLikeV8(std::vector<T>& a, Compare compare) {
  V8Sort<T, Compare>(a, compare).Run();
}

}  // namespace sx::yjs
