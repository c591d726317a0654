// An append-only registry of named descriptors (activations, layer types): registration
// appends under a lock, lookups read without one. The slots never move (the vector is
// reserved once) and a slot is published by the release store of the count, so lookups
// from many threads are safe while a late registration runs (the slots are a fixed array, so a
// registration writes only its own slot).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace netdim::nn {

// Refuses a name that is not a lowercase identifier of at most 64 characters ([a-z_][a-z0-9_]*):
// registered names are words of the language.
void check_registered_name(const std::string& what, const std::string& name);

// The prefix of automatic layer names made from a registered name: the name, with `_` after
// one that ends in a digit, so that `relu6_1` cannot be read as relu layer 61.
std::string automatic_name_prefix(std::string_view name);

template <class Descriptor>
class NamedRegistry {
 public:
  static constexpr std::size_t kCapacity = 4096;

  explicit NamedRegistry(std::string what) : what_(std::move(what)), slots_(new std::unique_ptr<const Descriptor>[kCapacity]) {}

  std::size_t size() const { return size_.load(std::memory_order_acquire); }
  const Descriptor& at(std::uint32_t id) const {
    if (id >= size()) throw std::out_of_range(what_ + " id " + std::to_string(id) + " is not registered");
    return *slots_[id];
  }
  std::optional<std::uint32_t> find(std::string_view name) const {
    const std::size_t n = size();
    for (std::uint32_t i = 0; i < n; ++i)
      if (slots_[i]->name == name) return i;
    return std::nullopt;
  }
  // `validate(descriptor)` runs under the lock, before the duplicate and capacity checks.
  template <class Validate>
  std::uint32_t add(Descriptor d, Validate validate) {
    std::lock_guard lock(mutex_);
    check_registered_name(what_ + " '" + d.name + "'", d.name);
    validate(d);
    if (find(d.name)) throw std::invalid_argument(what_ + " '" + d.name + "' is already registered");
    const std::size_t n = size_.load(std::memory_order_relaxed);
    if (n == kCapacity) throw std::invalid_argument("too many " + what_ + "s (at most " + std::to_string(kCapacity) + ")");
    slots_[n] = std::make_unique<const Descriptor>(std::move(d));  // a slot no reader looks at until the store below
    size_.store(n + 1, std::memory_order_release);
    return static_cast<std::uint32_t>(n);
  }

 private:
  std::string what_;
  std::mutex mutex_;
  std::unique_ptr<std::unique_ptr<const Descriptor>[]> slots_;  // fixed: readers never see it move or grow
  std::atomic<std::size_t> size_{0};
};

}  // namespace netdim::nn
