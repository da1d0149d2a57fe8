#include "generate_phones.h"

#include <numeric>
#include <string_view>

#include "generate_text.h"

namespace trafnet::engine::gen {
namespace {

constexpr uint64_t kNationalSpan = 10'000'000'000'000ULL;  // 10^13

uint64_t Pow10(uint32_t n) {
  uint64_t v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

uint32_t Digits(uint64_t v) {
  uint32_t n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

// "1234567" -> "123" + sep + "4567"; "123456" -> "123" + sep + "456"; "12345" -> "12" + sep +
// "345".
void AppendGrouped(std::string& out, std::string_view subscriber, char sep) {
  const size_t head =
      subscriber.size() >= 7 ? 3 : (subscriber.size() > 3 ? subscriber.size() - 3 : 0);
  out.append(subscriber.substr(0, head));
  if (head > 0) out.push_back(sep);
  out.append(subscriber.substr(head));
}

// The x-th subscriber number (x < leads.size() * 10^(digits - 1)) of a range whose numbers
// have `digits` digits and start with one of `leads`.
uint64_t SubscriberFromLeads(uint64_t x, std::string_view leads, uint32_t digits) {
  const uint64_t block = Pow10(digits - 1);
  return static_cast<uint64_t>(leads[x / block] - '0') * block + x % block;
}

}  // namespace

PhoneNumber PackPhone(uint32_t calling_code, uint32_t prefix_digits, uint64_t national_number) {
  return (uint64_t{calling_code} * 10 + prefix_digits) * kNationalSpan + national_number;
}

Country PhoneCountry(PhoneNumber phone) {
  const uint64_t code = phone / kNationalSpan / 10;
  const Tables& tables = Tables::Get();
  for (int c = 1; c < static_cast<int>(Country::kCount); ++c) {
    if (tables.countries[static_cast<size_t>(c)].calling_code == code) {
      return static_cast<Country>(c);
    }
  }
  return Country::kNone;
}

void AppendPhone(std::string& out, PhoneNumber phone, PhoneStyle style) {
  const uint64_t code = phone / kNationalSpan / 10;
  const uint32_t prefix_digits = static_cast<uint32_t>(phone / kNationalSpan % 10);
  const uint64_t national = phone % kNationalSpan;
  std::string digits;
  digits.reserve(16);
  AppendUint(digits, national);
  const std::string_view nsn(digits);
  const std::string_view ndc = nsn.substr(0, prefix_digits);
  const std::string_view subscriber = nsn.substr(prefix_digits);
  const bool domestic = code == 381;
  switch (style) {
    case PhoneStyle::kSlashDash:
    case PhoneStyle::kSpaced:
      if (domestic) {
        out.push_back('0');
        out.append(ndc);
        out.push_back(style == PhoneStyle::kSlashDash ? '/' : ' ');
        AppendGrouped(out, subscriber, style == PhoneStyle::kSlashDash ? '-' : ' ');
      } else {
        out.push_back('+');
        AppendUint(out, code);
        out.push_back(' ');
        out.append(ndc);
        out.push_back(' ');
        AppendGrouped(out, subscriber, ' ');
      }
      return;
    case PhoneStyle::kIntlSpaced:
      out.push_back('+');
      AppendUint(out, code);
      out.push_back(' ');
      out.append(ndc);
      out.push_back(' ');
      out.append(subscriber);
      return;
    case PhoneStyle::kDoubleZero:
      out.append("00");
      AppendUint(out, code);
      out.append(nsn);
      return;
    case PhoneStyle::kNational:
      if (domestic) {
        out.push_back('0');
        out.append(nsn);
        return;
      }
      break;
    case PhoneStyle::kIntl:
    case PhoneStyle::kCount:
      break;
  }
  out.push_back('+');
  AppendUint(out, code);
  out.append(nsn);
}

void AppendTruncatedPhone(std::string& out, PhoneNumber phone, PhoneStyle style) {
  const uint64_t head = phone / kNationalSpan;  // calling code and destination code length
  uint64_t national = phone % kNationalSpan;
  const uint32_t digits = Digits(national);
  if (digits > kTruncatedDigits) national /= Pow10(digits - kTruncatedDigits);
  AppendPhone(out, head * kNationalSpan + national, style);
}

AffinePermutation::AffinePermutation(uint64_t modulus, Rng& rng) : modulus_(modulus) {
  // Any multiplier coprime to the modulus gives a bijection; keep it large so neighbours in
  // allocation order land far apart.
  do {
    multiplier_ = modulus / 3 + rng.Below(modulus / 3 + 1);
  } while (std::gcd(multiplier_, modulus) != 1);
  offset_ = rng.Below(modulus);
}

PhoneBook::PhoneBook(uint64_t seed) {
  Rng rng(seed, Stream::kPhones);
  const Tables& tables = Tables::Get();
  mobile_.resize(tables.countries.size());
  for (size_t c = 1; c < tables.countries.size(); ++c) {
    const CountryInfo& info = tables.countries[c];
    const uint64_t per_prefix =
        info.mobile_leads.size() * Pow10(info.mobile_subscriber_digits - 1u);
    mobile_[c].permutation = AffinePermutation(per_prefix * info.mobile_prefixes.size(), rng);
  }
  for (const AreaPlan& plan : tables.areas) {
    Area a;
    a.calling_code = tables.country(plan.country).calling_code;
    a.area_digits = static_cast<uint32_t>(plan.code.size());
    for (const char ch : plan.code) a.area = a.area * 10 + static_cast<uint64_t>(ch - '0');
    a.subscriber_digits = plan.subscriber_digits;
    a.leads = plan.leads;
    a.landline.permutation =
        AffinePermutation(a.leads.size() * Pow10(a.subscriber_digits - 1), rng);
    areas_.push_back(a);
  }
  for (const Town& town : tables.towns) {
    // Every town's area is in Tables::areas; the first area stands in should one be missing.
    uint32_t found = 0;
    for (uint32_t a = 0; a < tables.areas.size(); ++a) {
      if (tables.areas[a].country == town.country && tables.areas[a].code == town.area) found = a;
    }
    town_area_.push_back(found);
  }
}

PhoneNumber PhoneBook::NewMobile(Country country) {
  const CountryInfo& info = Tables::Get().country(country);
  Plan& plan = mobile_[static_cast<size_t>(country)];
  const uint64_t x = plan.permutation(plan.next++);
  const uint32_t digits = info.mobile_subscriber_digits;
  const uint64_t per_prefix = info.mobile_leads.size() * Pow10(digits - 1);
  const uint64_t prefix = info.mobile_prefixes[x / per_prefix];
  uint64_t subscriber = SubscriberFromLeads(x % per_prefix, info.mobile_leads, digits);
  uint32_t subscriber_digits = digits;
  // Older Serbian numbers have six-digit subscriber numbers; dropping a trailing zero keeps
  // them distinct from every seven-digit one. 067 numbers are never that short.
  if (country == Country::kRS && prefix != 67 && subscriber % 10 == 0) {
    subscriber /= 10;
    subscriber_digits = digits - 1;
  }
  return PackPhone(info.calling_code, Digits(prefix),
                   prefix * Pow10(subscriber_digits) + subscriber);
}

PhoneNumber PhoneBook::NewLandline(uint32_t town) {
  Area& a = areas_[town_area_[town]];
  const uint64_t subscriber =
      SubscriberFromLeads(a.landline.permutation(a.landline.next++), a.leads, a.subscriber_digits);
  return PackPhone(a.calling_code, a.area_digits, a.area * Pow10(a.subscriber_digits) + subscriber);
}

PhoneNumber PhoneBook::NewService(uint32_t town) {
  // Taxi and pizza lines are ordinary numbers (short codes such as 19xxx are no E.164 numbers):
  // drawn from the same plans as everyone's, so they never collide with a home or a mobile.
  if (areas_[town_area_[town]].calling_code == 381 && serbian_services_++ % 4 == 3) {
    return NewMobile(Country::kRS);
  }
  return NewLandline(town);
}

}  // namespace trafnet::engine::gen
