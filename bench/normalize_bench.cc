// PhoneNormalizer on the kind of input ingest sees: the same numbers again and again, written
// in different ways. 100k distinct numbers (four in five Serbian, the rest from neighbours and
// the usual diaspora countries), each in 5 spellings, shuffled.
//
// Reference: libphonenumber's Parse on every call. WithoutMemo: the fast path on every call.
// WithMemo: the default normalizer once it has seen the numbers (every call a memo hit);
// FirstPass: a fresh default normalizer over the whole mix, misses and hits as ingest meets them.
// Validity/0 and /1: whether each distinct number is valid for its region, by libphonenumber
// and by trafnet's own reading of libphonenumber's patterns (storage/src/phone_validity.h).
#include <benchmark/benchmark.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <initializer_list>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../storage/src/phone_validity.h"
#include "trafnet/storage/normalize.h"

namespace {

using trafnet::storage::PhoneNormalizer;

constexpr int kDistinctNumbers = 100'000;

// Concatenation without `"literal" + std::string`, which GCC 12 at -O3 warns about (-Wrestrict).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (std::string_view part : parts) text += part;
  return text;
}

std::string Number(std::mt19937& random, unsigned modulo, unsigned offset = 0) {
  return std::to_string(offset + random() % modulo);
}

std::string Digits(std::mt19937& random, int count) {
  std::string digits;
  for (int i = 0; i < count; ++i) digits += static_cast<char>('0' + random() % 10);
  return digits;
}

// One number as its country code, area or mobile prefix and subscriber digits.
struct PhoneParts {
  std::string code, area, subscriber;
};

PhoneParts RandomParts(std::mt19937& random) {
  const unsigned roll = random() % 100;
  if (roll < 55) return {"381", Cat({"6", Number(random, 7)}), Digits(random, 7)};
  if (roll < 70) return {"381", "11", Digits(random, 7)};
  if (roll < 80) return {"381", Number(random, 16, 21), Digits(random, 6)};
  if (roll < 85) return {"387", Cat({"6", Number(random, 5, 1)}), Digits(random, 6)};
  if (roll < 90) return {"49", Cat({"15", Number(random, 7, 1)}), Digits(random, 8)};
  if (roll < 93) return {"43", Cat({"66", Number(random, 10)}), Digits(random, 7)};
  if (roll < 96) return {"41", Cat({"7", Number(random, 4, 6)}), Digits(random, 7)};
  if (roll < 98) return {"1", Number(random, 700, 201), Cat({"5", Digits(random, 6)})};
  return {"44", Cat({"7", Number(random, 6, 4)}), Digits(random, 8)};
}

// Serbian numbers in the national and international forms; foreign ones, as written in Serbia,
// always with '+' or the 00 prefix.
std::vector<std::string> Spellings(const PhoneParts& n) {
  const std::string_view sub = n.subscriber;
  const std::string_view head = sub.substr(0, 3), tail = sub.substr(3);
  if (n.code == "381") {
    return {Cat({"0", n.area, sub}), Cat({"0", n.area, "/", head, "-", tail}),
            Cat({"+381 ", n.area, " ", head, " ", tail}), Cat({"00381", n.area, sub}),
            Cat({"(0", n.area, ") ", head, "-", tail})};
  }
  const std::string_view trunk = n.code == "1" ? "" : "(0)";
  return {Cat({"+", n.code, n.area, sub}), Cat({"+", n.code, " ", n.area, " ", head, " ", tail}),
          Cat({"00", n.code, n.area, sub}), Cat({"00 ", n.code, " ", n.area, "/", head, "-", tail}),
          Cat({"+", n.code, " ", trunk, n.area, " ", sub})};
}

const std::vector<std::string>& Inputs() {
  static const std::vector<std::string> inputs = [] {
    std::mt19937 random(42);
    std::vector<std::string> texts;
    for (int i = 0; i < kDistinctNumbers; ++i) {
      for (std::string& text : Spellings(RandomParts(random))) texts.push_back(std::move(text));
    }
    std::shuffle(texts.begin(), texts.end(), random);
    return texts;
  }();
  return inputs;
}

void BM_PhoneNormalizeReference(benchmark::State& state) {
  const PhoneNormalizer normalizer;
  const std::vector<std::string>& inputs = Inputs();
  size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(normalizer.NormalizeReference(inputs[next]));
    next = next + 1 == inputs.size() ? 0 : next + 1;
  }
}
BENCHMARK(BM_PhoneNormalizeReference);

void BM_PhoneNormalizeWithoutMemo(benchmark::State& state) {
  const PhoneNormalizer normalizer("RS", 0);
  const std::vector<std::string>& inputs = Inputs();
  size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(normalizer.Normalize(inputs[next]));
    next = next + 1 == inputs.size() ? 0 : next + 1;
  }
}
BENCHMARK(BM_PhoneNormalizeWithoutMemo);

// Shared by the threads of a run, and filled before any of them is timed.
const PhoneNormalizer& WarmNormalizer() {
  static const PhoneNormalizer normalizer = [] {
    PhoneNormalizer warm;
    for (const std::string& input : Inputs()) benchmark::DoNotOptimize(warm.Normalize(input));
    return warm;
  }();
  return normalizer;
}

void BM_PhoneNormalizeWithMemo(benchmark::State& state) {
  const PhoneNormalizer& normalizer = WarmNormalizer();
  const std::vector<std::string>& inputs = Inputs();
  size_t next = static_cast<size_t>(state.thread_index()) * 7919 % inputs.size();
  for (auto _ : state) {
    benchmark::DoNotOptimize(normalizer.Normalize(inputs[next]));
    next = next + 1 == inputs.size() ? 0 : next + 1;
  }
}
BENCHMARK(BM_PhoneNormalizeWithMemo)->Threads(1)->Threads(2);

void BM_PhoneNormalizeFirstPass(benchmark::State& state) {
  const std::vector<std::string>& inputs = Inputs();
  for (auto _ : state) {
    state.PauseTiming();
    const PhoneNormalizer normalizer;
    state.ResumeTiming();
    for (const std::string& input : inputs) benchmark::DoNotOptimize(normalizer.Normalize(input));
  }
  // Seconds per number, which the console shows as e.g. "2.1u".
  state.counters["per_number"] = benchmark::Counter(
      static_cast<double>(inputs.size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_PhoneNormalizeFirstPass)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_PhoneValidity(benchmark::State& state) {
  const bool ours = state.range(0) == 1;
  const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
  std::mt19937 random(42);
  std::vector<std::pair<i18n::phonenumbers::PhoneNumber, std::string>> numbers;
  for (int i = 0; i < kDistinctNumbers; ++i) {
    const PhoneParts parts = RandomParts(random);
    auto number = trafnet::storage::phone_internal::MakeNumber(std::stoi(parts.code),
                                                               Cat({parts.area, parts.subscriber}));
    std::string region;
    util.GetRegionCodeForNumber(number, &region);
    numbers.emplace_back(std::move(number), std::move(region));
  }
  size_t next = 0;
  for (auto _ : state) {
    const auto& [number, region] = numbers[next];
    benchmark::DoNotOptimize(
        ours ? trafnet::storage::phone_internal::IsValidNumberForRegion(number, region)
             : util.IsValidNumberForRegion(number, region));
    next = next + 1 == numbers.size() ? 0 : next + 1;
  }
}
BENCHMARK(BM_PhoneValidity)->ArgName("trafnet")->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
