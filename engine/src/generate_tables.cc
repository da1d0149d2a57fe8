#include "generate_tables.h"

#include <initializer_list>

#include "generate_text.h"

namespace trafnet::engine::gen {
namespace {

using Words = std::initializer_list<std::string_view>;

Spelling Spell(std::string_view latin) {
  Spelling s;
  s.latin = std::string(latin);
  if (!ToCyrillic(latin, s.cyrillic)) s.cyrillic.clear();
  s.ascii = ToAscii(latin);
  s.upper = ToUpper(latin);
  s.upper_ascii = ToAscii(s.upper);
  return s;
}

std::vector<Spelling> SpellAll(Words words) {
  std::vector<Spelling> out;
  out.reserve(words.size());
  for (const std::string_view w : words) out.push_back(Spell(w));
  return out;
}

// Slavic surnames agree with gender: Stojanovski/Stojanovska, Ivanov/Ivanova.
std::string Feminine(std::string_view surname) {
  std::string s(surname);
  const auto ends = [&](std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (ends("skyi")) return s.substr(0, s.size() - 4) + "ska";
  if (ends("ski")) return s.substr(0, s.size() - 3) + "ska";
  if (ends("ov") || ends("ev") || ends("in")) return s + "a";
  return s;
}

NameTable MakeNames(Words female, Words male, Words surnames, bool gendered_surnames) {
  NameTable t;
  t.female = SpellAll(female);
  t.male = SpellAll(male);
  t.surname_male = SpellAll(surnames);
  for (const std::string_view s : surnames) {
    t.surname_female.push_back(Spell(gendered_surnames ? Feminine(s) : std::string(s)));
  }
  return t;
}

}  // namespace

const std::string& Spelling::In(Script script) const {
  switch (script) {
    case Script::kLatin:
      return latin;
    case Script::kCyrillic:
      return cyrillic.empty() ? latin : cyrillic;
    case Script::kAscii:
      return ascii;
    case Script::kUpper:
      return upper;
    case Script::kUpperAscii:
      return upper_ascii;
    case Script::kCount:
      break;
  }
  return latin;
}

std::string_view PlaceKindName(PlaceKind kind) {
  switch (kind) {
    case PlaceKind::kResidential:
      return "residential";
    case PlaceKind::kHostel:
      return "hostel";
    case PlaceKind::kDormitory:
      return "dormitory";
    case PlaceKind::kHotel:
      return "hotel";
    case PlaceKind::kShelter:
      return "shelter";
    case PlaceKind::kBusiness:
      return "business";
  }
  return "residential";
}

const Tables& Tables::Get() {
  static const Tables* const kTables = new Tables();
  return *kTables;
}

Tables::Tables() {
  // Serbian mobiles also come with six-digit subscriber numbers, except in 067 (see
  // PhoneBook::NewMobile). Bosnian 064 and 067 take seven digits, so they are left out; Albanian
  // 067x/068x numbers never start with 0 or 1. Elsewhere any first digit but 0 will do.
  constexpr std::string_view kAny = "123456789";
  countries = {
      {"", 0, {}, 0, "", NameSet::kSerbian},
      {"RS", 381, {60, 61, 62, 63, 64, 65, 66, 67, 68, 69}, 7, kAny, NameSet::kSerbian},
      {"BA", 387, {61, 62, 63, 65, 66}, 6, kAny, NameSet::kSerbian},
      {"ME", 382, {67, 68, 69}, 6, kAny, NameSet::kSerbian},
      {"MK", 389, {70, 71, 72, 75, 76, 77, 78}, 6, kAny, NameSet::kMacedonian},
      {"BG", 359, {87, 88, 89}, 7, kAny, NameSet::kBulgarian},
      {"RO", 40, {721, 722, 723, 744, 745, 755, 766, 788}, 6, kAny, NameSet::kRomanian},
      {"AL", 355, {67, 68, 69}, 7, "23456789", NameSet::kAlbanian},
      {"UA", 380, {50, 63, 66, 67, 68, 73, 93, 95, 96, 97, 98, 99}, 7, kAny, NameSet::kUkrainian},
  };

  using C = Country;
  towns = {
      {"Beograd", C::kRS, 1680, "11", true, 40}, {"Novi Sad", C::kRS, 370, "21", true, 14},
      {"Niš", C::kRS, 260, "18", true, 9},       {"Kragujevac", C::kRS, 180, "34", true, 5},
      {"Subotica", C::kRS, 125, "24", true, 4},  {"Leskovac", C::kRS, 125, "16", false, 0},
      {"Pančevo", C::kRS, 115, "13", false, 1},  {"Zrenjanin", C::kRS, 110, "23", false, 0},
      {"Čačak", C::kRS, 105, "32", true, 1},     {"Novi Pazar", C::kRS, 110, "20", true, 1},
      {"Kraljevo", C::kRS, 115, "36", false, 1}, {"Smederevo", C::kRS, 100, "26", false, 0},
      {"Valjevo", C::kRS, 85, "14", false, 0},   {"Kruševac", C::kRS, 115, "37", false, 0},
      {"Vranje", C::kRS, 75, "17", false, 2},    {"Šabac", C::kRS, 105, "15", false, 0},
      {"Užice", C::kRS, 70, "31", false, 0},     {"Sombor", C::kRS, 80, "25", false, 0},
      {"Požarevac", C::kRS, 70, "12", false, 0}, {"Pirot", C::kRS, 50, "10", false, 0},
      {"Zaječar", C::kRS, 50, "19", false, 0},   {"Sremska Mitrovica", C::kRS, 75, "22", false, 0},
      {"Jagodina", C::kRS, 65, "35", false, 0},  {"Loznica", C::kRS, 70, "15", false, 0},
      {"Bor", C::kRS, 45, "30", false, 0},       {"Prokuplje", C::kRS, 40, "27", false, 0},
      {"Vršac", C::kRS, 45, "13", false, 0},     {"Bijeljina", C::kBA, 4, "55", false, 3},
      {"Banja Luka", C::kBA, 6, "51", false, 1}, {"Zvornik", C::kBA, 2, "56", false, 0},
      {"Sarajevo", C::kBA, 8, "33", false, 2},   {"Podgorica", C::kME, 6, "20", false, 3},
      {"Budva", C::kME, 1, "33", false, 4},      {"Herceg Novi", C::kME, 1, "31", false, 1},
      {"Skoplje", C::kMK, 12, "2", false, 3},    {"Kumanovo", C::kMK, 3, "31", false, 0},
      {"Vidin", C::kBG, 2, "94", false, 0},      {"Sofija", C::kBG, 10, "2", false, 1},
      {"Temišvar", C::kRO, 5, "256", false, 0},
  };
  for (const Town& town : towns) town_names.push_back(Spell(town.name));

  // Beograd and the one-digit capital codes have seven-digit subscriber numbers, the rest six.
  // Which first digits are in use differs from area to area across the border.
  areas = {
      {C::kRS, "11", 7, "2345678"},  {C::kRS, "21", 6, "2345678"}, {C::kRS, "18", 6, "2345678"},
      {C::kRS, "34", 6, "2345678"},  {C::kRS, "24", 6, "2345678"}, {C::kRS, "16", 6, "2345678"},
      {C::kRS, "13", 6, "2345678"},  {C::kRS, "23", 6, "2345678"}, {C::kRS, "32", 6, "2345678"},
      {C::kRS, "20", 6, "2345678"},  {C::kRS, "36", 6, "2345678"}, {C::kRS, "26", 6, "2345678"},
      {C::kRS, "14", 6, "2345678"},  {C::kRS, "37", 6, "2345678"}, {C::kRS, "17", 6, "2345678"},
      {C::kRS, "15", 6, "2345678"},  {C::kRS, "31", 6, "2345678"}, {C::kRS, "25", 6, "2345678"},
      {C::kRS, "12", 6, "2345678"},  {C::kRS, "10", 6, "2345678"}, {C::kRS, "19", 6, "2345678"},
      {C::kRS, "22", 6, "2345678"},  {C::kRS, "35", 6, "2345678"}, {C::kRS, "30", 6, "2345678"},
      {C::kRS, "27", 6, "2345678"},  {C::kBA, "55", 6, "234567"},  {C::kBA, "51", 6, "234567"},
      {C::kBA, "56", 6, "23467"},    {C::kBA, "33", 6, "24567"},   {C::kME, "20", 6, "234567"},
      {C::kME, "33", 6, "24567"},    {C::kME, "31", 6, "234567"},  {C::kMK, "2", 7, "23"},
      {C::kMK, "31", 6, "3456"},     {C::kBG, "94", 6, "2345678"}, {C::kBG, "2", 7, "2345678"},
      {C::kRO, "256", 6, "2345678"},
  };

  name_tables.resize(static_cast<size_t>(NameSet::kCount));
  name_tables[static_cast<int>(NameSet::kSerbian)] = MakeNames(
      {"Ana",     "Marija",  "Milica",  "Jelena",   "Ivana",      "Jovana",    "Katarina",
       "Tamara",  "Dragana", "Snežana", "Gordana",  "Ljiljana",   "Biljana",   "Vesna",
       "Maja",    "Sanja",   "Tanja",   "Nataša",   "Marina",     "Sofija",    "Teodora",
       "Anđela",  "Anja",    "Nevena",  "Kristina", "Aleksandra", "Nikolina",  "Dunja",
       "Mina",    "Sara",    "Lena",    "Tijana",   "Jelisaveta", "Bojana",    "Danijela",
       "Slađana", "Mirjana", "Radmila", "Zorica",   "Branka",     "Vera",      "Nada",
       "Dragica", "Ljubica", "Milena",  "Jasmina",  "Suzana",     "Olivera",   "Svetlana",
       "Zorana",  "Đurđa",   "Stefana", "Isidora",  "Emilija",    "Valentina", "Hristina",
       "Jovanka", "Dušica",  "Ivona",   "Nađa"},
      {"Marko",     "Nikola",    "Stefan",    "Luka",     "Aleksandar", "Miloš",   "Nemanja",
       "Đorđe",     "Lazar",     "Filip",     "Vuk",      "Dušan",      "Petar",   "Jovan",
       "Milan",     "Dragan",    "Zoran",     "Goran",    "Dejan",      "Srđan",   "Vladimir",
       "Ivan",      "Bojan",     "Saša",      "Miroslav", "Slobodan",   "Predrag", "Nenad",
       "Željko",    "Branislav", "Radomir",   "Milorad",  "Ljubomir",   "Živojin", "Dragoljub",
       "Uroš",      "Ognjen",    "Vukašin",   "Mihajlo",  "Andrija",    "Veljko",  "Relja",
       "Strahinja", "Bogdan",    "Mladen",    "Darko",    "Aleksa",     "Igor",    "Siniša",
       "Žarko",     "Velimir",   "Dobrivoje", "Vojislav", "Radovan",    "Tihomir", "Čedomir",
       "Novak",     "Njegoš",    "Danilo",    "Momčilo"},
      {"Jovanović",      "Petrović",      "Nikolić",     "Marković",    "Đorđević",
       "Stojanović",     "Ilić",          "Stanković",   "Pavlović",    "Milošević",
       "Popović",        "Đukić",         "Kovačević",   "Todorović",   "Simić",
       "Lazić",          "Ristić",        "Kostić",      "Mitrović",    "Živković",
       "Savić",          "Stefanović",    "Radovanović", "Milovanović", "Jović",
       "Obradović",      "Vasić",         "Tomić",       "Janković",    "Lukić",
       "Bogdanović",     "Mladenović",    "Filipović",   "Gavrilović",  "Vuković",
       "Dimitrijević",   "Aleksić",       "Marinković",  "Zdravković",  "Radić",
       "Pešić",          "Antić",         "Knežević",    "Milenković",  "Đurić",
       "Stevanović",     "Krstić",        "Mihajlović",  "Perić",       "Ivanović",
       "Vučković",       "Veličković",    "Ćirić",       "Šarić",       "Nedeljković",
       "Ljubisavljević", "Radosavljević", "Milutinović", "Babić",       "Tasić",
       "Cvetković",      "Jakovljević",   "Milojević",   "Matić",       "Blagojević",
       "Maksimović",     "Ranđelović",    "Despotović",  "Rakić",       "Stojković",
       "Nenadović",      "Kuzmanović",    "Grujić",      "Sretenović",  "Arsić",
       "Đokić",          "Vidović",       "Ćosić",       "Jeremić",     "Nešić",
       "Božović",        "Vujić",         "Ljubić",      "Panić",       "Mirković",
       "Trajković",      "Stamenković",   "Đurđević",    "Šćekić",      "Čolić",
       "Spasić",         "Vukadinović",   "Miljković",   "Bošković",    "Dragićević",
       "Nikodijević",    "Jevtić",        "Glišić",      "Anđelković",  "Dželetović"},
      false);
  name_tables[static_cast<int>(NameSet::kBosniak)] = MakeNames(
      {"Amra", "Emina",  "Lejla",   "Selma",  "Dženana", "Amela", "Merima",
       "Aida", "Alma",   "Edina",   "Belma",  "Dženeta", "Adna",  "Ajla",
       "Hana", "Sabina", "Mirsada", "Fatima", "Sanela",  "Elma"},
      {"Adnan", "Emir",   "Edin",  "Haris",  "Amar",  "Mirza",  "Kenan",
       "Tarik", "Dževad", "Senad", "Mehmed", "Almir", "Adem",   "Harun",
       "Faruk", "Nermin", "Enes",  "Elvir",  "Hamza", "Muhamed"},
      {"Hadžić",   "Mujović",    "Ljajić",   "Kurtović",  "Hodžić",    "Šabanović", "Hasanović",
       "Begović",  "Mehmedović", "Ramović",  "Zukorlić",  "Halilović", "Murić",     "Dervišević",
       "Suljović", "Husović",    "Omerović", "Fetahović", "Nurković",  "Kačar"},
      false);
  name_tables[static_cast<int>(NameSet::kMacedonian)] =
      MakeNames({"Elena", "Marija", "Ivana", "Aleksandra", "Biljana", "Kristina", "Marina",
                 "Simona", "Sanja", "Ana", "Jovana", "Angela"},
                {"Aleksandar", "Goran", "Dimitar", "Nikola", "Stefan", "Kiril", "Trajko", "Zoran",
                 "Vlatko", "Igor", "Blagoja", "Darko"},
                {"Stojanovski", "Petrovski", "Nikolovski", "Trajkovski", "Dimitrovski", "Ristovski",
                 "Jovanovski", "Georgievski", "Angelovski", "Kostovski", "Atanasov", "Mitrevski"},
                true);
  name_tables[static_cast<int>(NameSet::kBulgarian)] =
      MakeNames({"Ivanka", "Marija", "Elena", "Desislava", "Gergana", "Petja", "Radostina",
                 "Cvetelina", "Nikoleta", "Jordanka", "Veselina", "Kalina"},
                {"Georgi", "Ivan", "Dimitar", "Nikolaj", "Petar", "Hristo", "Stojan", "Todor",
                 "Vasil", "Krasimir", "Plamen", "Jordan"},
                {"Ivanov", "Georgiev", "Dimitrov", "Petrov", "Nikolov", "Hristov", "Stojanov",
                 "Todorov", "Iliev", "Vasilev", "Atanasov", "Angelov"},
                true);
  name_tables[static_cast<int>(NameSet::kRomanian)] =
      MakeNames({"Ioana", "Maria", "Elena", "Andreea", "Alexandra", "Mihaela", "Cristina",
                 "Gabriela", "Roxana", "Simona", "Larisa", "Bianca"},
                {"Andrei", "Alexandru", "Ionut", "Mihai", "Florin", "Gabriel", "Marius", "Cristian",
                 "Adrian", "Stefan", "Vlad", "Dragos"},
                {"Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei",
                 "Ciobanu", "Rusu", "Munteanu", "Lazar"},
                false);
  name_tables[static_cast<int>(NameSet::kAlbanian)] =
      MakeNames({"Arta", "Besa", "Drita", "Elira", "Fjolla", "Lirie", "Mimoza", "Teuta", "Vlora",
                 "Albana", "Blerta", "Arbena"},
                {"Arben", "Besnik", "Driton", "Fatmir", "Ilir", "Agron", "Bujar", "Gentian", "Luan",
                 "Valon", "Edon", "Artan"},
                {"Krasniqi", "Gashi", "Berisha", "Hoxha", "Shala", "Morina", "Hasani", "Rexhepi",
                 "Dervishi", "Kelmendi", "Bytyqi", "Leka"},
                false);
  name_tables[static_cast<int>(NameSet::kUkrainian)] =
      MakeNames({"Olena", "Oksana", "Iryna", "Natalia", "Tetiana", "Yulia", "Kateryna", "Anastasia",
                 "Viktoria", "Daria", "Svitlana", "Halyna"},
                {"Oleksandr", "Andrii", "Serhii", "Dmytro", "Volodymyr", "Mykola", "Ivan", "Taras",
                 "Bohdan", "Oleh", "Yurii", "Vasyl"},
                {"Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk",
                 "Boiko", "Oliinyk", "Koval", "Lysenko", "Marchenko", "Savchenko"},
                false);

  streets.resize(static_cast<size_t>(Country::kCount));
  // clang-format off
  streets[static_cast<int>(C::kRS)] = SpellAll(
      {"Bulevar kralja Aleksandra", "Knez Mihailova", "Nemanjina", "Cara Dušana",
       "Kralja Petra I", "Njegoševa", "Vojvode Stepe", "Gavrila Principa", "Karađorđeva",
       "Svetog Save", "Jovana Cvijića", "Vuka Karadžića", "Dositejeva", "Kneza Miloša",
       "Bulevar oslobođenja", "Zmaj Jovina", "Braće Jerković", "Ustanička", "Resavska",
       "Takovska", "Kosovska", "Hilandarska", "Žička", "Omladinskih brigada", "Jurija Gagarina",
       "Narodnog fronta", "Futoška", "Ive Andrića", "Miloša Obilića", "Partizanska",
       "Stevana Sremca", "Vojvođanska", "Maksima Gorkog", "Hajduk Veljkova",
       "Bulevar Nikole Tesle", "Trg slobode", "Železnička", "Beogradska", "Nikole Pašića",
       "Cara Lazara", "Kralja Milana", "Obilićev venac", "Sarajevska", "Balkanska",
       "Šumadijska", "Moravska", "Dunavska", "Savska", "Topličina", "Ljubljanska",
       "Đure Đakovića", "Dragoljuba Mihailovića"});
  // clang-format on
  streets[static_cast<int>(C::kBA)] =
      SpellAll({"Kralja Petra I Karađorđevića", "Njegoševa", "Cara Dušana", "Svetog Save",
                "Gavrila Principa", "Bulevar Meše Selimovića", "Ferhadija", "Maršala Tita"});
  streets[static_cast<int>(C::kME)] =
      SpellAll({"Bulevar Svetog Petra Cetinjskog", "Njegoševa", "Slobode", "Hercegovačka",
                "Mediteranska", "Jadranski put", "Bulevar Džordža Vašingtona"});
  streets[static_cast<int>(C::kMK)] =
      SpellAll({"Partizanska", "Makedonija", "Ilindenska", "Goce Delčev", "Bulevar Jane Sandanski",
                "Dame Gruev"});
  streets[static_cast<int>(C::kBG)] =
      SpellAll({"ulica Vasil Levski", "bulevard Hristo Botev", "ulica Car Simeon", "Knjaz Boris I",
                "ulica Rakovski"});
  streets[static_cast<int>(C::kRO)] =
      SpellAll({"Strada Mihai Eminescu", "Bulevardul Revolutiei", "Strada Alba Iulia",
                "Piata Victoriei", "Strada Gheorghe Lazar"});
  streets[static_cast<int>(C::kAL)] = streets[static_cast<int>(C::kMK)];
  streets[static_cast<int>(C::kUA)] = streets[static_cast<int>(C::kBG)];

  place_names.resize(6);
  place_names[static_cast<int>(PlaceKind::kHostel)] =
      SpellAll({"Hostel Centar", "Hostel Sunce", "Hostel Lavirint", "Hostel Mesec", "Hostel Dorćol",
                "Hostel Stanica", "Hostel Kaldrma", "Hostel Zvezda"});
  place_names[static_cast<int>(PlaceKind::kDormitory)] =
      SpellAll({"Studentski dom \"Ivo Andrić\"", "Studentski dom \"Karaburma\"",
                "Studentski dom \"Patrijarh Pavle\"", "Studentski dom \"Mika Mitrović\"",
                "Studentski dom \"Nikola Tesla\"", "Studentski dom \"Vera Blagojević\""});
  place_names[static_cast<int>(PlaceKind::kHotel)] =
      SpellAll({"Hotel Slavija", "Hotel Park", "Hotel Central", "Hotel Srbija", "Hotel Royal",
                "Hotel Sunce", "Hotel Aleksandar", "Hotel Grand", "Hotel Palas", "Hotel Stari grad",
                "Garni hotel Dunav", "Motel Stari most"});
  place_names[static_cast<int>(PlaceKind::kShelter)] =
      SpellAll({"Sigurna kuća", "Prihvatilište za žrtve trgovine ljudima", "Svratište za decu",
                "Prihvatna stanica"});
  place_names[static_cast<int>(PlaceKind::kBusiness)] =
      SpellAll({"Kafić Tajm aut", "Restoran Stara kuća", "Pekara Centar", "Auto-servis Brzi",
                "Market Lux", "Noćni klub Ekstaza", "Butik Lana", "Frizerski salon Jelena",
                "Kafana Zavičaj", "Stovarište Gradnja", "Salon za masažu Relaks", "Kafić Ponoć"});
  worksite_names =
      SpellAll({"Gradilište Novi blok", "Farma Zlatno polje", "Pogon Metalac", "Plantaža Voćar",
                "Klanica Mesoprom", "Fabrika Tekstil", "Gradilište Marina", "Hladnjača Sever",
                "Pilana Javor", "Stovarište Gradnja", "Perionica Sjaj", "Rasadnik Zelenilo"});

  // Index order must follow AgencyIndex.
  agencies = {
      {"MUP-RS", "MUP-P", 7, 60, {50, 25, 13, 7, 5}, PhoneStyle::kSlashDash},
      {"BIA", "BIA-", 6, 8, {20, 70, 5, 3, 2}, PhoneStyle::kIntlSpaced},
      {"GP-BG", "GP-BG-", 6, 10, {10, 5, 10, 15, 60}, PhoneStyle::kDoubleZero},
      {"CZSR-NS", "CZSR-", 6, 8, {70, 15, 10, 5, 0}, PhoneStyle::kSpaced},
      {"JT-BG", "JT-K", 6, 6, {15, 80, 5, 0, 0}, PhoneStyle::kNational},
      {"ASTRA", "AST-", 5, 5, {60, 10, 30, 0, 0}, PhoneStyle::kIntl},
      {"USPN", "USPN-", 7, 3, {40, 20, 20, 10, 10}, PhoneStyle::kIntl},
  };
}

}  // namespace trafnet::engine::gen
