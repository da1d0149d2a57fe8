#include "trafnet/engine/detect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "support/temp_dir.h"
#include "trafnet/engine/ingest.h"

namespace trafnet::engine {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using trafnet::testing::ReadFile;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

// A tiny world written row by row: persons, addresses and links in the v1 input contract.
class WorldBuilder {
 public:
  void Person(const std::string& id, const std::string& name, const std::string& birth, char gender,
              const std::string& status = "") {
    persons_ +=
        id + "," + name + "," + birth + "," + std::string(1, gender) + ",RS," + status + ",MUP\n";
  }
  void Address(const std::string& id, const std::string& city, const std::string& kind,
               const std::string& country = "RS") {
    addresses_ += id + ",Ulica " + id + " 1," + city + "," + country + "," + kind + "\n";
  }
  void Link(const std::string& from, const std::string& to, const std::string& type,
            const std::string& start = "", const std::string& end = "", int count = 1) {
    links_ += from + "," + to + "," + type + "," + start + "," + end + "," + std::to_string(count) +
              ",MUP\n";
  }
  // A person at home in `town` with a parent living with them, so they have a family.
  void Local(const std::string& id, const std::string& name, const std::string& birth, char gender,
             const std::string& town) {
    Person(id, name, birth, gender);
    Person(id + "-PARENT", name + " Senior", "1960-01-01", gender == 'F' ? 'M' : 'F');
    Address("H-" + id, town, "residential");
    Link("person:" + id, "address:H-" + id, "LIVES_AT");
    Link("person:" + id + "-PARENT", "address:H-" + id, "LIVES_AT");
    Link("person:" + id, "person:" + id + "-PARENT", "FAMILY");
  }
  void Write(const std::filesystem::path& dir) const {
    WriteFile(dir / "persons.csv",
              "id,name,birth_date,gender,nationality,status,source\n" + persons_);
    WriteFile(dir / "addresses.csv", "id,text,city,country,kind\n" + addresses_);
    WriteFile(dir / "links.csv", "from,to,type,start,end,count,source\n" + links_);
  }

 private:
  std::string persons_, addresses_, links_;
};

const std::vector<std::string> kTowns = {"Novi Pazar", "Vranje", "Zaječar", "Sombor", "Pirot"};
// Names and birth dates different enough that entity resolution keeps them apart.
const std::vector<std::string> kNames = {"Ana Petrović", "Marija Ilić",     "Jelena Savić",
                                         "Milica Lazić", "Ivana Stojković", "Tijana Marković"};
std::string Birth(int year, int i) {
  return std::to_string(year) + "-0" + std::to_string(i % 9 + 1) + "-1" + std::to_string(i % 10);
}

// Who one planted network is made of; a second network gets other names, birth dates and
// numbers, so entity resolution keeps the two apart.
struct Cast {
  std::string prefix;  // of every id
  char digit = '0';    // last digit of every phone number
  std::string recruiter = "Rade Ristić", controller = "Cane Cvetković", driver = "Dule Dimić";
  std::vector<std::string> victims = kNames;
  int victim_year = 2005;
  std::string destination = "RS";  // country of flat F
};

// The pattern detection is built for: recruiter R phones five young women from five towns who
// do not know each other; six weeks later they arrive within ten days at flat F in Beograd,
// where controller C lives; four of them use C's second phone; they pay C; driver D travels
// with three of them on the day they arrive.
void AddNetwork(WorldBuilder& w, const Cast& cast = {}) {
  const std::string& p = cast.prefix;
  auto phone = [&](const std::string& number) { return "phone:" + number + cast.digit; };
  w.Local(p + "R", cast.recruiter, "1994-03-01", 'M', "Niš");
  w.Local(p + "C", cast.controller, "1978-05-05", 'M', "Beograd");
  w.Local(p + "D", cast.driver, "1985-07-07", 'M', "Beograd");
  w.Link("person:" + p + "R", phone("064100000"), "USES");
  w.Link("person:" + p + "C", phone("064200000"), "USES");
  w.Link("person:" + p + "C", phone("064900000"), "USES");
  w.Address(p + "F", cast.destination == "RS" ? "Beograd" : "Wien", "residential",
            cast.destination);
  w.Link("person:" + p + "C", "address:" + p + "F", "LIVES_AT", "2024-01-01");
  for (int i = 0; i < 5; ++i) {
    const std::string v = p + "V" + std::to_string(i + 1);
    w.Local(v, cast.victims[i], Birth(cast.victim_year, i), 'F', kTowns[i]);
    const std::string own = phone("06510000" + std::to_string(i + 1));
    w.Link("person:" + v, own, "USES");
    w.Link(phone("064100000"), own, "CALLED", "2025-02-0" + std::to_string(i + 1), "2025-02-20",
           12);
    const std::string arrival = "2025-04-0" + std::to_string(i + 1);
    w.Link("person:" + v, "address:" + p + "F", "STAYED_AT", arrival, "2025-05-15");
    if (i < 4) w.Link("person:" + v, phone("064900000"), "USES", arrival, "2025-05-15");
    w.Link("person:" + v, "person:" + p + "C", "PAID", "2025-04-20", "", 2);
    if (i < 3) w.Link("person:" + p + "D", "person:" + v, "TRAVELED_WITH", arrival);
  }
  w.Link(phone("064100000"), phone("064200000"), "CALLED", "2025-03-01", "", 5);
}

const Cast kSecondCast = {"B",
                          '7',
                          "Bora Bojić",
                          "Zoran Zorić",
                          "Lazar Lukić",
                          {"Sanja Jović", "Dragana Nikolić", "Vesna Kostić", "Maja Đorđević",
                           "Nina Pavlović"},
                          2004};

class DetectTest : public ::testing::Test {
 protected:
  // Ingests the world into a new store under `run` and analyses it.
  DetectionReport Analyze(const WorldBuilder& world, DetectOptions options = {},
                          const std::string& run = "run") {
    const std::filesystem::path base = dir_ / run;
    world.Write(base / "data");
    auto store = storage::Store::Open(base / "db");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    IngestOptions ingest;
    ingest.quiet = true;
    ingest.report_dir = base / "reports";
    auto summary = Ingest(**store, {base / "data"}, ingest);
    EXPECT_TRUE(summary.ok() && summary->rows_rejected == 0)
        << ReadFile(base / "reports" / "ingest-000001-rejects.csv");
    options.config.min_group_size = 3;
    auto report = Detect(**store, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    store_ = std::move(store).value();
    return report.ok() ? std::move(report).value() : DetectionReport{};
  }

  // Every indicator's strongest value over all groups, whether flagged or not.
  // Each call needs its own `run` (a store of its own).
  std::map<std::string, double> Strongest(const WorldBuilder& world,
                                          const std::string& run = "strongest") {
    DetectOptions options;
    options.config.flag_threshold = 0.0;
    options.config.max_networks = 0;
    std::map<std::string, double> best;
    const DetectionReport report = Analyze(world, options, run);
    EXPECT_GE(report.stats.groups_scored, 1u) << "the world should hold a group to examine";
    for (const Lead& lead : report.networks) {
      for (const auto& [name, value] : lead.indicators) best[name] = std::max(best[name], value);
    }
    return best;
  }

  static const LeadMember* Find(const Lead& lead, const std::string& id) {
    for (const LeadMember& m : lead.members) {
      if (m.records.front() == id) return &m;
    }
    return nullptr;
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(DetectTest, FlagsThePlantedNetworkWithItsRolesAndReasons) {
  WorldBuilder world;
  AddNetwork(world);
  const DetectionReport report = Analyze(world);
  ASSERT_EQ(report.networks.size(), 1u);
  const Lead& lead = report.networks[0];
  EXPECT_EQ(lead.id, "NET-0001");
  EXPECT_GT(lead.score, 0.7);
  ASSERT_NE(Find(lead, "R"), nullptr);
  ASSERT_NE(Find(lead, "C"), nullptr);
  ASSERT_NE(Find(lead, "D"), nullptr);
  EXPECT_EQ(Find(lead, "R")->role, "recruiter");
  EXPECT_EQ(Find(lead, "C")->role, "controller");
  EXPECT_EQ(Find(lead, "D")->role, "driver");
  for (int i = 1; i <= 5; ++i) {
    ASSERT_NE(Find(lead, "V" + std::to_string(i)), nullptr);
    EXPECT_EQ(Find(lead, "V" + std::to_string(i))->role, "victim");
  }
  // Parents are context, not members of the lead.
  EXPECT_EQ(Find(lead, "V1-PARENT"), nullptr);
  // The recruiter and the controller head the list.
  std::set<std::string> top = {lead.members[0].records[0], lead.members[1].records[0]};
  EXPECT_EQ(top, (std::set<std::string>{"R", "C"}));
  EXPECT_THAT(lead.phones, Contains("+381649000000"));
  EXPECT_THAT(lead.addresses, Contains("F"));
  EXPECT_THAT(lead.reasons,
              Contains(HasSubstr("5 unrelated women aged 19–20 from 5 towns arrived at F")));
  EXPECT_THAT(lead.reasons, Contains(HasSubstr("phone +381649000000 was used by 5 members")));
  EXPECT_THAT(Find(lead, "R")->reasons,
              Contains(HasSubstr("contacted 5 women aged 19–20 from 5 towns")));
  EXPECT_THAT(Find(lead, "C")->reasons, Contains(HasSubstr("was paid by 5 unrelated members")));
  EXPECT_THAT(Find(lead, "D")->reasons, Contains(HasSubstr("travelled with 3 of the recruits")));
  for (const char* indicator : {"shared_phone", "convergence", "recruiter_contacts", "controller",
                                "payments", "escorted_travel", "unrelated_cohabitants"}) {
    EXPECT_GT(lead.indicators.at(indicator), 0.0) << indicator;
  }
}

// Two networks that a few incidental ties join (the first's driver once lived where a recruit
// of the second stayed; two pairs of their recruits know each other) are one community at every
// scale, but two leads.
TEST_F(DetectTest, TwoNetworksJoinedByAFewTiesAreTwoLeads) {
  WorldBuilder world;
  AddNetwork(world);
  AddNetwork(world, kSecondCast);
  world.Address("J", "Beograd", "residential");
  world.Link("person:D", "address:J", "LIVES_AT", "2024-01-01", "2024-12-31");
  world.Link("person:BV1", "address:J", "STAYED_AT", "2024-06-01", "2024-07-01");
  world.Link("person:V2", "person:BV2", "KNOWS");
  world.Link("person:V3", "person:BV3", "KNOWS");
  const DetectionReport report = Analyze(world);
  EXPECT_TRUE(report.same_person.empty());
  ASSERT_EQ(report.networks.size(), 2u);
  std::set<std::string> recruiters;
  for (const Lead& lead : report.networks) {
    const std::string prefix = Find(lead, "R") != nullptr ? "" : "B";
    ASSERT_NE(Find(lead, prefix + "R"), nullptr);
    recruiters.insert(prefix + "R");
    for (const LeadMember& m : lead.members) {
      EXPECT_EQ(m.records.front().starts_with("B"), prefix == "B") << m.records.front();
    }
  }
  EXPECT_EQ(recruiters, (std::set<std::string>{"R", "BR"}));

  // Told to keep a group whole whatever ties its parts, detection reports one lead.
  DetectOptions whole;
  whole.config.separate_tie = 0.0;
  const DetectionReport merged = Analyze(world, whole, "whole");
  ASSERT_EQ(merged.networks.size(), 1u);
  EXPECT_NE(Find(merged.networks[0], "R"), nullptr);
  EXPECT_NE(Find(merged.networks[0], "BR"), nullptr);
}

// Recruits from Serbia brought to a flat in Austria crossed a border; brought to Beograd, the
// same recruits did not (moving to the capital is not the indicator).
TEST_F(DetectTest, RecruitsBroughtAbroadCrossedABorderAndAtHomeDidNot) {
  WorldBuilder abroad;
  Cast cast;
  cast.destination = "AT";
  AddNetwork(abroad, cast);
  const DetectionReport report = Analyze(abroad);
  ASSERT_EQ(report.networks.size(), 1u);
  EXPECT_EQ(report.networks[0].indicators.at("cross_border"), 1.0);
  EXPECT_THAT(report.networks[0].reasons,
              Contains(HasSubstr("5 of the 5 recruits crossed a border to reach F (AT)")));

  WorldBuilder home;
  AddNetwork(home);
  const DetectionReport at_home = Analyze(home, {}, "home");
  ASSERT_EQ(at_home.networks.size(), 1u);
  EXPECT_EQ(at_home.networks[0].indicators.at("cross_border"), 0.0);
}

// A recruiter abroad phones five young women at home from an Austrian number, before anyone has
// moved: the foreign number is the cross-border sign. Recruits who keep their own foreign
// numbers (Bosnian numbers of women living in Serbia), called from a Serbian one, are not.
TEST_F(DetectTest, RecruitmentFromAForeignNumberIsCrossBorderAndOwnForeignNumbersAreNot) {
  auto world = [](const std::string& recruiter_phone, const std::string& recruit_phone) {
    WorldBuilder w;
    w.Local("R", "Rade Ristić", "1994-03-01", 'M', "Wien");
    w.Link("person:R", "phone:" + recruiter_phone, "USES");
    for (int i = 0; i < 5; ++i) {
      const std::string v = "V" + std::to_string(i + 1);
      w.Local(v, kNames[i], Birth(2005, i), 'F', kTowns[i]);
      const std::string own = "phone:" + recruit_phone + std::to_string(i + 1);
      w.Link("person:" + v, own, "USES");
      w.Link("phone:" + recruiter_phone, own, "CALLED", "2025-02-0" + std::to_string(i + 1),
             "2025-02-20", 12);
    }
    return w;
  };
  auto strongest = Strongest(world("+43 664 1234567", "06510000"), "abroad");
  EXPECT_EQ(strongest["cross_border"], 1.0);
  DetectOptions everything;
  everything.config.flag_threshold = 0.0;
  const DetectionReport all = Analyze(world("+43 664 1234567", "06510000"), everything, "all");
  bool said = false;
  for (const Lead& lead : all.networks) {
    for (const std::string& reason : lead.reasons) {
      said = said || reason.find(
                         "5 of the 5 people R contacted were called from or given a "
                         "number of another country than their home: +436641234567 (AT)") !=
                         std::string::npos;
    }
  }
  EXPECT_TRUE(said);

  auto own_numbers = Strongest(world("0641000000", "+387 61 12345"), "own_numbers");
  EXPECT_EQ(own_numbers["recruiter_contacts"], 1.0) << "the look-alike is recruitment all the same";
  EXPECT_EQ(own_numbers["cross_border"], 0.0);
}

// Recruits rotated through the flat: three more young women from other towns arrive at F in
// the weeks after the first five left. Without them there is no turnover, and the same
// rotation through a hostel is what hostels are for.
void AddSecondWave(WorldBuilder& w, const std::string& place = "F") {
  const std::vector<std::string> names = {"Sara Vuković", "Teodora Ristić", "Lena Popović"};
  for (int i = 0; i < 3; ++i) {
    const std::string v = "W" + std::to_string(i + 1);
    w.Local(v, names[i], Birth(2004, i + 3), 'F', i == 0 ? "Kruševac" : i == 1 ? "Šabac" : "Bor");
    w.Link("person:" + v, "address:" + place, "STAYED_AT", "2025-06-0" + std::to_string(i + 2),
           "2025-07-20");
  }
}

TEST_F(DetectTest, RecruitsReplacedByOthersAtTheFlatIsTurnover) {
  WorldBuilder rotated;
  AddNetwork(rotated);
  AddSecondWave(rotated);
  const DetectionReport report = Analyze(rotated);
  ASSERT_EQ(report.networks.size(), 1u);
  EXPECT_EQ(report.networks[0].indicators.at("turnover"), 1.0);
  EXPECT_THAT(report.networks[0].reasons,
              Contains("turnover at F: 3 young strangers arrived after earlier ones had left, "
                       "between 2025-05-15 and 2025-06-04"));
  const LeadMember* w1 = Find(report.networks[0], "W1");
  ASSERT_NE(w1, nullptr);
  EXPECT_EQ(w1->role, "victim");

  WorldBuilder once;
  AddNetwork(once);
  EXPECT_EQ(Strongest(once, "once")["turnover"], 0.0);

  WorldBuilder hostel;
  AddNetwork(hostel);
  hostel.Address("HOSTEL", "Beograd", "hostel");
  for (int i = 0; i < 5; ++i) {
    hostel.Link("person:V" + std::to_string(i + 1), "address:HOSTEL", "STAYED_AT",
                "2025-03-1" + std::to_string(i), "2025-03-2" + std::to_string(i));
  }
  AddSecondWave(hostel, "HOSTEL");
  EXPECT_EQ(Strongest(hostel, "hostel")["turnover"], 0.0);
}

TEST_F(DetectTest, FamilySharingALandlineIsNotASharedPhone) {
  WorldBuilder world;
  world.Address("HOME", "Kraljevo", "residential");
  for (int i = 0; i < 6; ++i) {
    const std::string p = "K" + std::to_string(i);
    world.Person(p, "Kostić " + std::to_string(i), "19" + std::to_string(50 + i * 8) + "-01-01",
                 i % 2 ? 'F' : 'M');
    world.Link("person:" + p, "phone:0361234567", "USES");
    world.Link("person:" + p, "address:HOME", "LIVES_AT");
    if (i > 0) world.Link("person:K0", "person:" + p, "FAMILY");
  }
  EXPECT_EQ(Strongest(world)["shared_phone"], 0.0);
}

TEST_F(DetectTest, StrangersSharingAPhoneIsASharedPhone) {
  WorldBuilder world;
  for (int i = 0; i < 4; ++i) {
    world.Local("S" + std::to_string(i), kNames[i], Birth(1990, i), 'F', kTowns[i]);
    world.Link("person:S" + std::to_string(i), "phone:0649000000", "USES");
  }
  EXPECT_EQ(Strongest(world)["shared_phone"], 1.0);
}

// Four strangers on one phone, no flat in common: using the phone does not make any of them the
// controller — unless the others pay that one.
TEST_F(DetectTest, ThePhoneAloneNamesNoControllerButThePaidUserOfItIs) {
  auto world = [](bool paid) {
    WorldBuilder w;
    for (int i = 0; i < 4; ++i) {
      w.Local("S" + std::to_string(i), kNames[i], Birth(1990, i), 'F', kTowns[i]);
      w.Link("person:S" + std::to_string(i), "phone:0649000000", "USES");
      if (paid && i > 0) w.Link("person:S" + std::to_string(i), "person:S0", "PAID", "2025-03-01");
    }
    return w;
  };
  DetectOptions options;
  options.config.flag_threshold = 0.0;
  const DetectionReport unpaid = Analyze(world(false), options, "unpaid");
  for (const Lead& lead : unpaid.networks) {
    EXPECT_EQ(lead.indicators.at("controller"), 0.0);
    for (const LeadMember& m : lead.members) EXPECT_NE(m.role, "controller") << m.records.front();
  }
  const DetectionReport with_payments = Analyze(world(true), options, "paid");
  ASSERT_FALSE(with_payments.networks.empty());
  const Lead& lead = with_payments.networks[0];
  EXPECT_DOUBLE_EQ(lead.indicators.at("controller"), 0.4);
  EXPECT_THAT(lead.reasons,
              Contains("S0, paid by unrelated members, uses the phone +381649000000 they shared"));
  ASSERT_NE(Find(lead, "S0"), nullptr);
  EXPECT_EQ(Find(lead, "S0")->role, "controller");
}

TEST_F(DetectTest, ArrivalsMonthsApartAreNotAConvergence) {
  WorldBuilder world;
  world.Address("F", "Beograd", "residential");
  for (int i = 0; i < 5; ++i) {
    const std::string v = "V" + std::to_string(i);
    world.Local(v, kNames[i], Birth(2005, i), 'F', kTowns[i]);
    const std::string month = "2024-0" + std::to_string(1 + 2 * i);
    world.Link("person:" + v, "address:F", "STAYED_AT", month + "-01", month + "-20");
    // Their landlord is what ties them into one group.
    world.Link("person:LANDLORD", "person:" + v, "KNOWS");
  }
  world.Person("LANDLORD", "Stanodavac Savić", "1960-03-03", 'M');
  EXPECT_EQ(Strongest(world)["convergence"], 0.0);
}

// Labour exploitation: the recruits are adult men, hired by the controller.
WorldBuilder Worksite(bool employed) {
  WorldBuilder world;
  world.Address("SITE", "Beograd", "business");
  world.Local("BOSS", "Gazda Gavrilović", "1970-06-06", 'M', "Beograd");
  world.Link("person:BOSS", "address:SITE", "LIVES_AT");
  for (int i = 0; i < 4; ++i) {
    const std::string w = "W" + std::to_string(i);
    world.Local(w, kNames[i], Birth(1984, i), 'M', kTowns[i]);  // about 41 on arrival
    world.Link("person:" + w, "address:SITE", "STAYED_AT", "2025-06-0" + std::to_string(i + 1),
               "2025-10-01");
    if (employed) {
      world.Link("person:BOSS", "person:" + w, "EMPLOYS", "2025-06-01", "2025-10-01");
    } else {
      world.Link("person:BOSS", "person:" + w, "KNOWS");
    }
  }
  return world;
}

TEST_F(DetectTest, AdultsEmployedByTheGroupAreRecruitsAndOthersAreNot) {
  EXPECT_GT(Strongest(Worksite(/*employed=*/true))["convergence"], 0.0);
}

TEST_F(DetectTest, AdultsNotEmployedByTheGroupAreNotRecruits) {
  EXPECT_EQ(Strongest(Worksite(/*employed=*/false))["convergence"], 0.0);
}

TEST_F(DetectTest, AHostelConvergenceCountsHalfAndIsNotFlaggedAlone) {
  WorldBuilder world;
  world.Address("HOSTEL", "Beograd", "hostel");
  for (int i = 0; i < 5; ++i) {
    const std::string v = "V" + std::to_string(i);
    world.Local(v, kNames[i], Birth(2005, i), 'F', kTowns[i]);
    world.Link("person:" + v, "address:HOSTEL", "STAYED_AT", "2025-04-0" + std::to_string(i + 1),
               "2025-04-10");
  }
  EXPECT_EQ(Strongest(world)["convergence"], 0.5);
  EXPECT_TRUE(Analyze(world, {}, "defaults").networks.empty());
}

// Strangers under one roof: young women from five towns who arrive at a flat within days are
// all strangers to each other; when a mother and her two daughters move in in the same days,
// the family's three pairs are not, and the indicator says so (12 of 15 pairs).
WorldBuilder Flat(bool with_family) {
  WorldBuilder world;
  world.Address("F", "Beograd", "residential");
  const int strangers = with_family ? 3 : 5;
  for (int i = 0; i < strangers; ++i) {
    const std::string v = "V" + std::to_string(i);
    world.Local(v, kNames[i], Birth(2005, i), 'F', kTowns[i]);
    world.Link("person:" + v, "address:F", "STAYED_AT", "2025-04-0" + std::to_string(i + 1),
               "2025-06-30");
  }
  if (with_family) {
    world.Local("MOTHER", "Majka Marić", "1980-02-02", 'F', "Kragujevac");
    world.Local("DAUGHTER1", "Ćerka Marić", "2005-05-05", 'F', "Kragujevac");
    world.Local("DAUGHTER2", "Sestra Marić", "2006-06-06", 'F', "Kragujevac");
    for (const char* who : {"MOTHER", "DAUGHTER1", "DAUGHTER2"}) {
      world.Link(std::string("person:") + who, "address:F", "STAYED_AT", "2025-04-02",
                 "2025-06-30");
    }
    world.Link("person:MOTHER", "person:DAUGHTER1", "FAMILY");
    world.Link("person:MOTHER", "person:DAUGHTER2", "FAMILY");
    world.Link("person:DAUGHTER1", "person:DAUGHTER2", "FAMILY");
  }
  return world;
}

TEST_F(DetectTest, StrangersUnderOneRoofAreAllStrangers) {
  auto alone = Strongest(Flat(/*with_family=*/false));
  EXPECT_GT(alone["convergence"], 0.0);
  EXPECT_DOUBLE_EQ(alone["unrelated_cohabitants"], 1.0);
}

TEST_F(DetectTest, AFamilyMovingInAmongStrangersIsNotStrangers) {
  auto family = Strongest(Flat(/*with_family=*/true));
  EXPECT_GT(family["convergence"], 0.0);
  EXPECT_DOUBLE_EQ(family["unrelated_cohabitants"], 12.0 / 15.0);
}

// The controller is who is tied both to where the recruits stayed and to the phone they shared.
// Their landlord, tied to the flat only, is a weaker lead (0.4), and one who also uses the
// recruits' shared phone is the controller (1.0).
WorldBuilder FlatWithLandlord(bool uses_their_phone) {
  WorldBuilder world = Flat(/*with_family=*/false);
  world.Person("LANDLORD", "Stanodavac Savić", "1960-03-03", 'M');
  world.Link("person:LANDLORD", "address:F", "LIVES_AT");
  for (int i = 0; i < 4; ++i) {
    world.Link("person:V" + std::to_string(i), "phone:0649000000", "USES",
               "2025-04-0" + std::to_string(i + 1), "2025-06-30");
  }
  if (uses_their_phone) world.Link("person:LANDLORD", "phone:0649000000", "USES");
  return world;
}

TEST_F(DetectTest, ALandlordTiedToTheFlatOnlyIsNotTheController) {
  DetectOptions options;
  options.config.flag_threshold = 0.0;
  const DetectionReport report =
      Analyze(FlatWithLandlord(/*uses_their_phone=*/false), options, "landlord");
  ASSERT_FALSE(report.networks.empty());
  EXPECT_GT(report.networks[0].indicators.at("shared_phone"), 0.0);
  EXPECT_DOUBLE_EQ(report.networks[0].indicators.at("controller"), 0.4);
  EXPECT_THAT(report.networks[0].reasons,
              Contains("LANDLORD is linked to the address F where they stayed"));
  // The address alone is not enough to name a role: the landlord is listed, as an associate.
  const LeadMember* landlord = Find(report.networks[0], "LANDLORD");
  ASSERT_NE(landlord, nullptr);
  EXPECT_EQ(landlord->role, "associate");
}

TEST_F(DetectTest, OneTiedToTheFlatAndTheirSharedPhoneIsTheController) {
  DetectOptions options;
  options.config.flag_threshold = 0.0;
  const DetectionReport report =
      Analyze(FlatWithLandlord(/*uses_their_phone=*/true), options, "controller");
  ASSERT_FALSE(report.networks.empty());
  EXPECT_DOUBLE_EQ(report.networks[0].indicators.at("controller"), 1.0);
  const LeadMember* landlord = Find(report.networks[0], "LANDLORD");
  ASSERT_NE(landlord, nullptr);
  EXPECT_EQ(landlord->role, "controller");
}

// A family of four moving into a flat together is not strangers under one roof, nor a
// convergence.
TEST_F(DetectTest, AFamilyMovingInTogetherIsNotStrangersUnderOneRoof) {
  WorldBuilder world;
  world.Address("F", "Beograd", "residential");
  const std::vector<std::string> names = {"Mira Jović", "Ana Jović", "Iva Jović", "Lea Jović"};
  for (int i = 0; i < 4; ++i) {
    const std::string id = "J" + std::to_string(i);
    world.Person(id, names[i], i == 0 ? "1975-02-02" : Birth(2003 + i, i), 'F');
    world.Link("person:" + id, "address:F", "STAYED_AT", "2025-04-0" + std::to_string(i + 1),
               "2025-06-01");
    for (int j = 0; j < i; ++j)
      world.Link("person:J" + std::to_string(j), "person:" + id, "FAMILY");
  }
  auto strongest = Strongest(world);
  EXPECT_EQ(strongest["unrelated_cohabitants"], 0.0);
  EXPECT_EQ(strongest["convergence"], 0.0);
}

// Five young strangers from five towns who each call one number (a job agency's clerk): being
// called is not reaching them, so the clerk is not a recruiter; the same calls made by him are.
TEST_F(DetectTest, BeingCalledByStrangersIsNotContactingThem) {
  auto world = [](bool outgoing) {
    WorldBuilder w;
    w.Local("CLERK", "Službenik Agencije", "1980-01-01", 'M', "Beograd");
    w.Link("person:CLERK", "phone:0111234567", "USES");
    for (int i = 0; i < 5; ++i) {
      const std::string v = "V" + std::to_string(i);
      w.Local(v, kNames[i], Birth(2005, i), 'F', kTowns[i]);
      const std::string own = "phone:065100000" + std::to_string(i);
      w.Link("person:" + v, own, "USES");
      if (outgoing)
        w.Link("phone:0111234567", own, "CALLED", "2025-01-01");
      else
        w.Link(own, "phone:0111234567", "CALLED", "2025-01-01");
    }
    return w;
  };
  EXPECT_EQ(Strongest(world(false), "inbound")["recruiter_contacts"], 0.0);
  EXPECT_EQ(Strongest(world(true), "outbound")["recruiter_contacts"], 1.0);
}

// Recruiter R's phone reaches five young women from five towns, who may know each other.
WorldBuilder Calls(bool acquainted, const std::string& type) {
  WorldBuilder world;
  world.Local("R", "Rade", "1994-03-01", 'M', "Niš");
  world.Link("person:R", "phone:0641000000", "USES");
  for (int i = 0; i < 5; ++i) {
    const std::string v = "V" + std::to_string(i);
    world.Local(v, kNames[i], Birth(2005, i), 'F', kTowns[i]);
    world.Link("person:" + v, "phone:065100000" + std::to_string(i), "USES");
    world.Link("phone:0641000000", "phone:065100000" + std::to_string(i), type, "2025-01-01");
    if (!acquainted) continue;
    for (int j = 0; j < i; ++j) world.Link("person:" + v, "person:V" + std::to_string(j), "KNOWS");
  }
  return world;
}

TEST_F(DetectTest, CallingFriendsWhoKnowEachOtherIsNotRecruitment) {
  EXPECT_EQ(Strongest(Calls(/*acquainted=*/true, "CALLED"))["recruiter_contacts"], 0.0);
}

TEST_F(DetectTest, ContactingStrangersFromSeveralTownsIsRecruitment) {
  EXPECT_EQ(Strongest(Calls(/*acquainted=*/false, "MESSAGED"))["recruiter_contacts"], 1.0);
}

// The recruiter is a broker when, before the recruits arrived, he alone joined them (high
// betweenness, low constraint), even though after the move they all share a flat and a phone.
// One who phones five women who were already phoning each other is not, though the calls alone
// look like recruitment (no family or recorded acquaintance among them).
TEST_F(DetectTest, ABrokerJoinsPeopleNotTiedToEachOtherBeforeTheMove) {
  WorldBuilder network;
  AddNetwork(network);
  const DetectionReport report = Analyze(network);
  ASSERT_EQ(report.networks.size(), 1u);
  EXPECT_GT(report.networks[0].indicators.at("broker"), 0.5);
  EXPECT_THAT(report.networks[0].reasons,
              Contains("R brokered between strangers: before the recruits arrived, the 5 people "
                       "R contacted were tied to each other only through R (ego betweenness "
                       "1.00, Burt's constraint 0.20)"));
  const LeadMember* r = Find(report.networks[0], "R");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->role, "recruiter");
  EXPECT_THAT(r->reasons, Contains(HasSubstr("brokered between people not tied to each other")));

  WorldBuilder chatting = Calls(/*acquainted=*/false, "CALLED");
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < i; ++j) {
      chatting.Link("phone:065100000" + std::to_string(i), "phone:065100000" + std::to_string(j),
                    "MESSAGED", "2024-12-01");
    }
  }
  auto friends = Strongest(chatting, "chatting");
  EXPECT_GT(friends["recruiter_contacts"], 0.0);
  EXPECT_EQ(friends["broker"], 0.0);
}

TEST_F(DetectTest, FamilyPaymentsAndFamilyTripsAreQuiet) {
  WorldBuilder world;
  world.Address("HOME", "Kraljevo", "residential");
  for (int i = 0; i < 5; ++i) {
    const std::string p = "K" + std::to_string(i);
    world.Person(p, kNames[i] + " Kostić", Birth(2004, i), 'F');
    world.Link("person:" + p, "address:HOME", "LIVES_AT");
    if (i > 0) {
      world.Link("person:K0", "person:" + p, "FAMILY");
      world.Link("person:" + p, "person:K0", "PAID", "2025-01-01");
      world.Link("person:K0", "person:" + p, "TRAVELED_WITH", "2025-07-01");
    }
  }
  auto strongest = Strongest(world);
  EXPECT_EQ(strongest["payments"], 0.0);
  EXPECT_EQ(strongest["escorted_travel"], 0.0);
}

TEST_F(DetectTest, KnownVictimInTheGroupIsAReason) {
  WorldBuilder world;
  AddNetwork(world);
  world.Person("OLD", "Stari Slučaj", "1970-01-01", 'M', "convicted");  // an old case, alone
  const DetectionReport report = Analyze(world);
  ASSERT_EQ(report.networks.size(), 1u);
  EXPECT_EQ(report.networks[0].indicators.at("known_cases"), 0.0);

  WorldBuilder with_case;
  AddNetwork(with_case);
  with_case.Person("V1-OLD", kNames[0], Birth(2005, 0), 'F', "victim");  // V1's other record
  with_case.Link("person:V1-OLD", "phone:0651000010", "USES");
  const DetectionReport again = Analyze(with_case, {}, "with_case");
  ASSERT_EQ(again.networks.size(), 1u);
  EXPECT_EQ(again.networks[0].indicators.at("known_cases"), 1.0);
}

TEST_F(DetectTest, AKnownCaseOutsideTheGroupButCloseToItIsAWeakerReason) {
  // An old convict who lives with his family (a close-knit group of its own) and knows the
  // recruiter: he stays in his family's community, and the network is near a known case.
  WorldBuilder world;
  AddNetwork(world);
  world.Address("OLD-HOME", "Kragujevac", "residential");
  const std::vector<std::string> family = {"OLD", "OLD-W", "OLD-S", "OLD-D", "OLD-B"};
  const std::vector<std::string> names = {"Stari Slučaj", "Stana Slučaj", "Sava Slučaj",
                                          "Sofija Slučaj", "Stevan Slučaj"};
  for (size_t i = 0; i < family.size(); ++i) {
    world.Person(family[i], names[i],
                 "19" + std::to_string(50 + 7 * i) + "-06-0" + std::to_string(i + 1),
                 i % 2 ? 'F' : 'M', i == 0 ? "convicted" : "");
    world.Link("person:" + family[i], "address:OLD-HOME", "LIVES_AT", "2010-01-01");
    for (size_t j = 0; j < i; ++j)
      world.Link("person:" + family[j], "person:" + family[i], "FAMILY");
  }
  world.Link("person:OLD", "person:R", "KNOWS", "2023-01-01");
  {
    // In a world this small one community holds everyone connected, the convict's family too:
    // he is in the group but nothing else points at him, so he counts as close, not as one of
    // the lead.
    const DetectionReport tiny = Analyze(world, {}, "tiny");
    ASSERT_EQ(tiny.networks.size(), 1u);
    EXPECT_EQ(tiny.networks[0].indicators.at("known_cases"), 0.5);
    EXPECT_THAT(tiny.networks[0].reasons,
                Contains("OLD, recorded as convicted in an earlier case, is tied to the group"));
    EXPECT_EQ(Find(tiny.networks[0], "OLD"), nullptr) << "named in the reasons, not a member";
  }
  // Communities are sized for a store of thousands (resolution ∝ persons); in a world of forty
  // one community would hold everyone connected. Five hundred foursomes of friends make it a
  // store of about 2000 with a store's density of ties.
  for (int g = 0; g < 500; ++g) {
    for (int i = 0; i < 4; ++i) {
      const std::string id = "BG-" + std::to_string(g) + "-" + std::to_string(i);
      world.Person(id, "Pozadina " + std::to_string(4 * g + i), "", 'X');
      for (int j = 0; j < i; ++j)
        world.Link("person:BG-" + std::to_string(g) + "-" + std::to_string(j), "person:" + id,
                   "KNOWS");
    }
  }
  const DetectionReport report = Analyze(world);
  ASSERT_EQ(report.networks.size(), 1u);
  const Lead& lead = report.networks[0];
  EXPECT_EQ(Find(lead, "OLD"), nullptr) << "the old case is not part of the lead";
  const double known = lead.indicators.at("known_cases");
  EXPECT_GT(known, 0.0) << "the recruiter knows a convict";
  EXPECT_LE(known, 0.5) << "proximity counts at most half of a known case in the group";
  EXPECT_THAT(lead.reasons, Contains(HasSubstr("close to known victims or suspects")));
}

TEST_F(DetectTest, ProposesSamePersonAcrossScriptsAndAcceptsOnlyStrongMatches) {
  WorldBuilder world;
  world.Person("MUP-1", "Đorđe Jovanović", "1990-02-03", 'M');
  world.Person("BIA-1", "Ђорђе Јовановић", "1990-02-03", 'M');
  world.Person("GP-1", "JOVANOVIC DJORDJE", "1990-02-03", 'M');
  world.Person("X-1", "Djordje Jovanovich", "1990-02-03", 'M');  // near miss, nothing shared
  world.Person("X-2", "Djordje Jovanovich", "1991-02-03", 'M');  // another birth date
  world.Person("X-3", "Đorđa Jovanović", "1990-02-03", 'F');     // another gender
  const DetectionReport report = Analyze(world);
  auto pair = [&](const std::string& a, const std::string& b) -> const SamePerson* {
    for (const SamePerson& p : report.same_person) {
      if ((p.ids[0] == a && p.ids[1] == b) || (p.ids[0] == b && p.ids[1] == a)) return &p;
    }
    return nullptr;
  };
  ASSERT_NE(pair("MUP-1", "BIA-1"), nullptr);
  EXPECT_TRUE(pair("MUP-1", "BIA-1")->accepted);
  ASSERT_NE(pair("MUP-1", "GP-1"), nullptr);
  EXPECT_TRUE(pair("MUP-1", "GP-1")->accepted);
  ASSERT_NE(pair("MUP-1", "X-1"), nullptr);
  EXPECT_FALSE(pair("MUP-1", "X-1")->accepted);
  EXPECT_THAT(pair("MUP-1", "X-1")->evidence, Contains(HasSubstr("Jaro–Winkler")));
  for (const SamePerson& p : report.same_person) {
    EXPECT_THAT(p.ids, ::testing::Not(Contains("X-2"))) << "different birth dates are never paired";
    EXPECT_THAT(p.ids, ::testing::Not(Contains("X-3"))) << "different genders are never paired";
  }
  EXPECT_EQ(report.stats.resolved_persons, 4u);  // MUP-1, BIA-1 and GP-1 are one person
}

TEST_F(DetectTest, ANearMissSharingAPhoneIsAccepted) {
  WorldBuilder world;
  world.Person("MUP-1", "Đorđe Jovanović", "1990-02-03", 'M');
  world.Person("X-1", "Djordje Jovanovich", "1990-02-03", 'M');
  world.Link("person:MUP-1", "phone:0641234567", "USES");
  world.Link("person:X-1", "phone:064/123-4567", "USES");
  const DetectionReport report = Analyze(world);
  ASSERT_EQ(report.same_person.size(), 1u);
  EXPECT_TRUE(report.same_person[0].accepted);
  EXPECT_THAT(report.same_person[0].evidence, Contains("both linked to phone +381641234567"));
}

// Two men of one birth date with similar names who both stayed at a hostel: the hostel is no
// evidence that they are one person, so the pair is proposed but not accepted.
TEST_F(DetectTest, ANearMissWhoStayedAtTheSameHostelIsNotAccepted) {
  WorldBuilder world;
  world.Person("MUP-1", "Đorđe Jovanović", "1990-02-03", 'M');
  world.Person("X-1", "Djordje Jovanovich", "1990-02-03", 'M');
  world.Address("HOSTEL", "Beograd", "hostel");
  world.Link("person:MUP-1", "address:HOSTEL", "STAYED_AT", "2025-01-01", "2025-01-03");
  world.Link("person:X-1", "address:HOSTEL", "STAYED_AT", "2025-01-01", "2025-01-03");
  const DetectionReport report = Analyze(world);
  ASSERT_EQ(report.same_person.size(), 1u);
  EXPECT_FALSE(report.same_person[0].accepted);
  EXPECT_THAT(report.same_person[0].evidence, ::testing::Not(Contains(HasSubstr("HOSTEL"))));
}

// A phone used by more than shared_cap (25) persons (a service number, a shared office line)
// says nothing about who anyone is: a near miss on it is proposed on the names alone and not
// accepted, and two different names born the same day on it are not paired at all. The cap
// counts every person on the phone, with or without a birth date.
TEST_F(DetectTest, APhoneOfMoreThanTheCapPersonsIsNoEvidence) {
  auto world_with = [](int undated_callers) {
    WorldBuilder world;
    world.Person("MUP-1", "Đorđe Jovanović", "1990-02-03", 'M');
    world.Person("X-1", "Djordje Jovanovich", "1990-02-03", 'M');
    world.Person("MUP-2", "Ana Petrović", "1991-05-06", 'F');
    world.Person("BIA-2", "Milena Kovač", "1991-05-06", 'F');
    for (const char* id : {"MUP-1", "X-1", "MUP-2", "BIA-2"}) {
      world.Link(std::string("person:") + id, "phone:0111234567", "USES");
    }
    for (int i = 0; i < undated_callers; ++i) {
      const std::string id = "S-" + std::to_string(i);
      world.Person(id, "Caller " + std::to_string(i), "", 'X');
      world.Link("person:" + id, "phone:0111234567", "USES");
    }
    return world;
  };
  const DetectionReport report = Analyze(world_with(22), {}, "26 persons");
  ASSERT_EQ(report.same_person.size(), 1u)
      << "the different names on the busy phone are not paired";
  const SamePerson& pair = report.same_person[0];
  EXPECT_EQ(pair.ids, (std::vector<std::string>{"MUP-1", "X-1"}));
  EXPECT_FALSE(pair.accepted);
  EXPECT_THAT(pair.evidence, ::testing::Not(Contains(HasSubstr("both linked to"))));

  // With 25 persons on it (at the cap) the phone counts again: the near miss is accepted and
  // the two names are proposed. Persons are counted, not links: a caller recorded twice on the
  // phone is one person.
  WorldBuilder twenty_five = world_with(21);
  twenty_five.Link("person:S-0", "phone:0111234567", "REGISTERED_TO");
  const DetectionReport at_cap = Analyze(twenty_five, {}, "25 persons");
  ASSERT_EQ(at_cap.same_person.size(), 2u);
  for (const SamePerson& p : at_cap.same_person) {
    EXPECT_THAT(p.evidence, Contains("both linked to phone +381111234567"));
  }
}

TEST_F(DetectTest, SameBirthDateAndASharedPhoneIsProposedWhateverTheNames) {
  WorldBuilder world;
  world.Person("MUP-1", "Ana Petrović", "1990-02-03", 'F');
  world.Person("BIA-7", "Milena Kovač", "1990-02-03", 'F');  // an alias on the same phone
  world.Person("GP-3", "Vesna Tomić", "1990-02-03", 'F');    // born that day, another phone
  world.Person("H-1", "Jovana Rakić", "1990-02-03", 'F');    // met MUP-1 at a hostel
  world.Person("H-2", "Sara Ilić", "1990-02-03", 'F');
  world.Address("HOSTEL", "Beograd", "hostel");
  world.Link("person:MUP-1", "phone:0641234567", "USES");
  world.Link("person:BIA-7", "phone:+381 64 1234567", "USES");
  world.Link("person:GP-3", "phone:0657654321", "USES");
  world.Link("person:H-1", "address:HOSTEL", "STAYED_AT", "2025-01-01", "2025-01-05");
  world.Link("person:H-2", "address:HOSTEL", "STAYED_AT", "2025-01-01", "2025-01-05");
  world.Link("person:MUP-1", "address:HOSTEL", "STAYED_AT", "2025-01-01", "2025-01-05");
  const DetectionReport report = Analyze(world);
  ASSERT_EQ(report.same_person.size(), 1u) << "only the pair on one phone; a hostel pairs nobody";
  const SamePerson& pair = report.same_person[0];
  EXPECT_EQ(pair.ids, (std::vector<std::string>{"MUP-1", "BIA-7"}));
  EXPECT_FALSE(pair.accepted) << "different names are proposed, never accepted automatically";
  EXPECT_LT(pair.score, 0.85);
  EXPECT_GE(pair.score, 0.4);
  EXPECT_THAT(pair.evidence, Contains("same birth date 1990-02-03"));
  EXPECT_THAT(pair.evidence, Contains("both linked to phone +381641234567"));
  EXPECT_THAT(pair.evidence, Contains(HasSubstr("different names")));
  EXPECT_EQ(report.stats.resolved_persons, 5u);

  DetectOptions stricter;
  stricter.config.report_shared_identifier = 0.85;
  EXPECT_TRUE(Analyze(world, stricter, "stricter").same_person.empty());
}

TEST_F(DetectTest, SameSeedGivesAByteIdenticalReportWhateverTheThreads) {
  WorldBuilder world;
  AddNetwork(world);
  for (int i = 0; i < 30; ++i) {
    world.Local("O" + std::to_string(i), "Obican " + std::to_string(i), "1980-01-01", 'M',
                kTowns[i % 5]);
    world.Link("person:O" + std::to_string(i), "person:O" + std::to_string((i + 1) % 30), "KNOWS");
  }
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  DetectOptions one;
  one.seed = 7;
  const DetectionReport first = Analyze(world, one, "one_thread");
  ASSERT_FALSE(first.networks.empty());
  ASSERT_TRUE(WriteReport(first, one, dir_ / "out1").ok());
  DetectOptions two = one;
  two.threads = 2;
  const DetectionReport second = Analyze(world, two, "two_threads");
  ASSERT_TRUE(WriteReport(second, one, dir_ / "out2").ok());
  ::unsetenv("SOURCE_DATE_EPOCH");
  const std::string json = ReadFile(dir_ / "out1/report.json");
  EXPECT_THAT(json, HasSubstr("\"generated_at\": \"2023-11-14T22:13:20Z\""));
  EXPECT_EQ(json, ReadFile(dir_ / "out2/report.json"));
  EXPECT_EQ(ReadFile(dir_ / "out1/persons.csv"), ReadFile(dir_ / "out2/persons.csv"));
}

TEST_F(DetectTest, ReportFilesFollowTheSchema) {
  WorldBuilder world;
  AddNetwork(world);
  world.Person("V1-BIA", kNames[0], Birth(2005, 0), 'F');  // V1 recorded by a second agency
  DetectOptions options;
  const DetectionReport report = Analyze(world, options);
  ASSERT_TRUE(WriteReport(report, options, dir_ / "out").ok());
  const nlohmann::json json = nlohmann::json::parse(ReadFile(dir_ / "out/report.json"));
  EXPECT_EQ(json["schema"], "trafnet.report/1");
  EXPECT_THAT(json["notice"].get<std::string>(), HasSubstr("not a finding"));
  ASSERT_EQ(json["networks"].size(), 1u);
  const auto& network = json["networks"][0];
  EXPECT_EQ(network["id"], "NET-0001");
  EXPECT_EQ(network["rank"], 1);
  for (const char* key : {"score", "members", "reasons", "indicators", "identifiers", "graph"}) {
    EXPECT_TRUE(network.contains(key)) << key;
  }
  for (const auto& member : network["members"]) {
    for (const char* key : {"id", "records", "role", "risk", "reasons"})
      EXPECT_TRUE(member.contains(key)) << key;
  }
  EXPECT_EQ(json["persons"].size(), network["members"].size());
  EXPECT_TRUE(json.contains("generated_at"));
  EXPECT_EQ(json["parameters"]["seed"], options.seed);
  EXPECT_EQ(json["parameters"]["weights"]["broker"], 1.0);
  EXPECT_EQ(network["identifiers"]["phones"], nlohmann::json({"+381649000000"}));
  EXPECT_EQ(network["identifiers"]["addresses"], nlohmann::json({"F"}));
  for (const auto& person : json["persons"]) {
    for (const char* key : {"id", "records", "risk", "network", "role", "reasons"})
      EXPECT_TRUE(person.contains(key)) << key;
  }
  ASSERT_EQ(json["same_person"].size(), 1u);
  const auto& pair = json["same_person"][0];
  EXPECT_EQ(pair["ids"], nlohmann::json({"V1", "V1-BIA"}));
  EXPECT_EQ(pair["accepted"], true);
  EXPECT_GE(pair["score"].get<double>(), 0.9);
  EXPECT_FALSE(pair["evidence"].empty());
  bool listed = false;  // every record of a resolved person is listed
  for (const auto& member : network["members"])
    listed = listed || member["records"] == nlohmann::json({"V1", "V1-BIA"});
  EXPECT_TRUE(listed);
  EXPECT_THAT(ReadFile(dir_ / "out/networks.csv"),
              ::testing::StartsWith(
                  "network,rank,score,members,key_persons,phones,addresses,reasons\nNET-0001,1,"));
  EXPECT_THAT(ReadFile(dir_ / "out/persons.csv"),
              ::testing::StartsWith("person_id,records,name,network,role,risk,reasons\n"));
  // The link table: one row per link of the lead's drawing, both ends described.
  const std::string links = ReadFile(dir_ / "out/link_table.csv");
  EXPECT_THAT(links, ::testing::StartsWith("network,from,from_kind,from_label,from_role,to,"
                                           "to_kind,to_label,to_role,type,first,last,count\n"));
  EXPECT_EQ(static_cast<size_t>(std::count(links.begin(), links.end(), '\n')),
            1 + report.networks[0].links.size());
  EXPECT_THAT(links, HasSubstr("NET-0001,C,person,Cane Cvetković,controller,F,address,"));
}

TEST(DetectConfigTest, ReadsOverridesAndRejectsUnknownKeys) {
  TempDir dir;
  WriteFile(dir.path() / "good.json",
            R"({"flag_threshold": 0.6, "weights": {"payments": 3}, "home_country": "HR"})");
  auto config = LoadDetectConfig(dir.path() / "good.json");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->flag_threshold, 0.6);
  EXPECT_EQ(config->weights.at("payments"), 3.0);
  EXPECT_EQ(config->home_country, "HR");
  WriteFile(dir.path() / "typo.json", R"({"flag_treshold": 0.6})");
  EXPECT_THAT(LoadDetectConfig(dir.path() / "typo.json").status().ToString(),
              HasSubstr("unknown key 'flag_treshold'"));
  WriteFile(dir.path() / "weight.json", R"({"weights": {"moon_phase": 1}})");
  EXPECT_THAT(LoadDetectConfig(dir.path() / "weight.json").status().ToString(),
              HasSubstr("weights.moon_phase"));
  WriteFile(dir.path() / "range.json", R"({"flag_threshold": 2})");
  EXPECT_THAT(LoadDetectConfig(dir.path() / "range.json").status().ToString(),
              HasSubstr("flag_threshold: must be in"));
  WriteFile(dir.path() / "accept.json", R"({"accept_same_person": 0.8})");
  EXPECT_THAT(LoadDetectConfig(dir.path() / "accept.json").status().ToString(),
              HasSubstr("need report_same_person <= accept_same_person"));
  WriteFile(dir.path() / "ages.json", R"({"young_max_age": 50})");
  EXPECT_THAT(LoadDetectConfig(dir.path() / "ages.json").status().ToString(),
              HasSubstr("need young_min_age <= young_max_age <= worker_max_age"));
}

}  // namespace
}  // namespace trafnet::engine
