"""Name and language lists for synthetic demo case files.

The lists hold common given names and family names per language area, so that a demo vault
looks like the LVV population without describing anyone: every combination is drawn at
random. Family names in areas where they differ by gender (Russian, Central Asian,
Azerbaijani) are given in the male form; ``family_name_for`` derives the female form.
"""

from __future__ import annotations

from dataclasses import dataclass

from lvvdesk.domain.vocabulary import Region


@dataclass(frozen=True)
class NameGroup:
    """Given names (male and female) and family names of one language area."""

    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]
    gendered_family: bool = False


# fmt: off
NAME_GROUPS: dict[str, NameGroup] = {
    "horn_of_africa": NameGroup(
        male=(
            "Tesfay", "Yonas", "Dawit", "Haile", "Mebrahtu", "Berhane", "Kidane", "Samuel",
            "Filmon", "Yohannes", "Tekle", "Ermias", "Abraham", "Mulugeta", "Girmay", "Henok",
            "Biniam", "Amanuel", "Fikru", "Solomon", "Robel", "Natnael", "Mikael", "Goitom",
        ),
        female=(
            "Senait", "Helen", "Selam", "Mebrat", "Rahel", "Tsega", "Hiwet", "Lidya", "Saba",
            "Meron", "Feven", "Almaz", "Tirhas", "Abeba", "Eden", "Winta", "Yordanos", "Semhar",
            "Luwam", "Tigist", "Hirut", "Bethlehem",
        ),
        family=(
            "Tesfamariam", "Gebremedhin", "Haile", "Tekle", "Berhane", "Kidane", "Woldemichael",
            "Ghebreyesus", "Asfaha", "Mengistu", "Tadesse", "Bekele", "Alemu", "Girma", "Desta",
            "Negash", "Abraha", "Yohannes", "Weldu", "Habte", "Gebru", "Kahsay", "Teklehaimanot",
            "Mekonnen",
        ),
    ),
    "somali": NameGroup(
        male=(
            "Abdirahman", "Mohamed", "Abdullahi", "Ahmed", "Hassan", "Ali", "Farah", "Yusuf",
            "Abdikadir", "Omar", "Mahad", "Liban", "Abdiweli", "Ismail", "Said", "Abdirashid",
            "Mukhtar", "Bashir",
        ),
        female=(
            "Fadumo", "Hodan", "Asha", "Amina", "Sahra", "Hawa", "Ifrah", "Khadija", "Nasra",
            "Ubah", "Hibo", "Sagal", "Deeqa", "Ayan", "Idil", "Filsan", "Muna",
        ),
        family=(
            "Warsame", "Farah", "Hussein", "Abdi", "Jama", "Osman", "Nur", "Mohamud", "Aden",
            "Egal", "Dirie", "Hersi", "Samatar", "Ali", "Yusuf", "Guled", "Elmi", "Abdille",
            "Ismail", "Hassan",
        ),
    ),
    "west_africa_francophone": NameGroup(
        male=(
            "Mamadou", "Ibrahima", "Alpha", "Abdoulaye", "Ousmane", "Sekou", "Amadou", "Boubacar",
            "Mohamed", "Lansana", "Souleymane", "Thierno", "Alseny", "Moussa", "Oumar", "Karamba",
            "Cheick", "Fode",
        ),
        female=(
            "Mariama", "Fatoumata", "Aissatou", "Kadiatou", "Hawa", "Djenabou", "Aminata", "Oumou",
            "Binta", "Nene", "Salimatou", "Mariame", "Hadja", "Kadidia",
        ),
        family=(
            "Diallo", "Bah", "Barry", "Sow", "Camara", "Conde", "Keita", "Toure", "Sylla",
            "Kouyate", "Balde", "Soumah", "Cisse", "Traore", "Kaba", "Doumbouya", "Sangare",
            "Coulibaly", "Diakite", "Bangoura",
        ),
    ),
    "west_africa_anglophone": NameGroup(
        male=(
            "Chinedu", "Emeka", "Oluwaseun", "Tunde", "Babatunde", "Ifeanyi", "Osagie", "Efosa",
            "Kelechi", "Samuel", "Godwin", "Kwame", "Kofi", "Kwabena", "Yaw", "Emmanuel", "Daniel",
            "Festus", "Uche", "Kingsley",
        ),
        female=(
            "Blessing", "Chioma", "Ngozi", "Funmilayo", "Adaeze", "Osas", "Joy", "Precious",
            "Esther", "Akosua", "Abena", "Ama", "Gifty", "Patience", "Mercy", "Favour", "Adwoa",
            "Yetunde",
        ),
        family=(
            "Okafor", "Okonkwo", "Adeyemi", "Ogunleye", "Eze", "Nwosu", "Igbinedion", "Osagie",
            "Obaseki", "Mensah", "Boateng", "Owusu", "Asante", "Agyeman", "Osei", "Ansah",
            "Adebayo", "Okoro", "Edosa", "Amoah",
        ),
    ),
    "sierra_leone_liberia": NameGroup(
        male=(
            "Mohamed", "Abu", "Alusine", "Foday", "Sahr", "Musa", "Ibrahim", "Augustine", "Joseph",
            "Alhaji", "Tamba", "Momodu", "Sorie", "Abdul",
        ),
        female=(
            "Isatu", "Fatmata", "Aminata", "Mariama", "Kadiatu", "Jeneba", "Hawa", "Adama",
            "Christiana", "Zainab", "Haja", "Finda",
        ),
        family=(
            "Kamara", "Sesay", "Conteh", "Bangura", "Koroma", "Kargbo", "Turay", "Mansaray",
            "Jalloh", "Fofanah", "Kanu", "Kallon", "Samura", "Tarawallie",
        ),
    ),
    "east_central_africa": NameGroup(
        male=(
            "Joseph", "Moses", "Patrick", "John", "Innocent", "Emmanuel", "Jean", "Didier",
            "Pierre", "Gloire", "Deng", "Peter", "Ronald", "Brian", "Eric", "Fabrice",
        ),
        female=(
            "Grace", "Esther", "Agnes", "Sarah", "Mercy", "Christine", "Josiane", "Aline", "Nyakim",
            "Sylvia", "Annet", "Jeanne", "Solange", "Rose",
        ),
        family=(
            "Mugisha", "Okello", "Ssempala", "Kato", "Nsubuga", "Otieno", "Mukendi", "Ilunga",
            "Tshibanda", "Niyonzima", "Habimana", "Deng", "Garang", "Lual", "Ouma", "Mbeki",
            "Nkurunziza", "Kabongo",
        ),
    ),
    "persian": NameGroup(
        male=(
            "Ali", "Reza", "Mohammad", "Hossein", "Mehdi", "Amir", "Saeed", "Hamid", "Behnam",
            "Farhad", "Dariush", "Kaveh", "Arash", "Babak", "Navid", "Omid", "Majid", "Peyman",
        ),
        female=(
            "Maryam", "Zahra", "Fatemeh", "Leila", "Shirin", "Parisa", "Nasrin", "Mahsa", "Roya",
            "Azadeh", "Nazanin", "Sara", "Samira", "Mina", "Elham", "Golnaz",
        ),
        family=(
            "Hosseini", "Mohammadi", "Rezaei", "Ahmadi", "Karimi", "Moradi", "Jafari", "Rahimi",
            "Sadeghi", "Hashemi", "Kazemi", "Ebrahimi", "Ghorbani", "Mousavi", "Tehrani", "Rostami",
            "Nazari", "Shirazi", "Farahani", "Bagheri",
        ),
    ),
    "afghan": NameGroup(
        male=(
            "Ahmad", "Mohammad", "Abdul", "Rahim", "Farid", "Jawad", "Nasir", "Hamid", "Wahid",
            "Zabihullah", "Naveed", "Sayed", "Ajmal", "Khalid", "Habib", "Mustafa", "Hasib",
        ),
        female=(
            "Zahra", "Fatima", "Marzia", "Nargis", "Shabnam", "Farzana", "Roya", "Mariam",
            "Khadija", "Parwana", "Sima", "Lina", "Freshta", "Mahbooba",
        ),
        family=(
            "Ahmadzai", "Popal", "Noori", "Rahimi", "Hakimi", "Safi", "Stanekzai", "Sultani",
            "Mohammadi", "Hussaini", "Azizi", "Karimi", "Wardak", "Nazari", "Rezai", "Sadat",
            "Amiri", "Jalali",
        ),
    ),
    "arabic_mashriq": NameGroup(
        male=(
            "Ahmed", "Mohammed", "Ali", "Hussein", "Omar", "Khaled", "Mustafa", "Haidar", "Karim",
            "Yousef", "Ibrahim", "Samir", "Bilal", "Ammar", "Rami", "Firas", "Rebaz", "Karwan",
            "Dilshad", "Azad",
        ),
        female=(
            "Fatima", "Zainab", "Noor", "Maryam", "Huda", "Rana", "Lina", "Aya", "Sara", "Rasha",
            "Dima", "Hiba", "Layla", "Nadia", "Shilan", "Rojin", "Nasreen",
        ),
        family=(
            "Al-Jabouri", "Al-Husseini", "Al-Khatib", "Haddad", "Hamdan", "Al-Obeidi", "Saleh",
            "Mansour", "Al-Rawi", "Khalil", "Nasser", "Al-Tamimi", "Darwish", "Barakat", "Abbas",
            "Jaber", "Rashid", "Qadir", "Aziz", "Mahmoud",
        ),
    ),
    "maghreb": NameGroup(
        male=(
            "Mohamed", "Youssef", "Karim", "Said", "Rachid", "Hamza", "Nabil", "Mustapha",
            "Abdelaziz", "Omar", "Tarek", "Adil", "Bilal", "Khalid", "Hicham", "Mehdi", "Sofiane",
            "Ayoub",
        ),
        female=(
            "Fatima", "Khadija", "Nadia", "Samira", "Amina", "Salma", "Houda", "Meriem", "Nour",
            "Yasmina", "Sana", "Rania", "Aicha", "Imane", "Soukaina",
        ),
        family=(
            "El Amrani", "Benali", "Bouzid", "Haddad", "Mansouri", "Belkacem", "Cherif", "Ziani",
            "Trabelsi", "Ben Salah", "El Idrissi", "Boukhari", "Chaoui", "Elsayed", "Abdelrahman",
            "Hamdi", "Mahmoud", "Benyoussef",
        ),
    ),
    "sudanese": NameGroup(
        male=(
            "Abdelrahman", "Osman", "Mohamed", "Hamid", "Adam", "Yahia", "Ishag", "Musa", "Abdalla",
            "Mohanad", "Elsadig", "Babiker", "Hussein", "Idris",
        ),
        female=(
            "Fatima", "Amna", "Hawa", "Mariam", "Sara", "Samah", "Rayan", "Suad", "Zeinab", "Hadia",
            "Nafisa",
        ),
        family=(
            "Adam", "Ishag", "Abakar", "Haroun", "Osman", "Abdalla", "Yagoub", "Elnour", "Ahmed",
            "Mustafa", "Suleiman", "Eltayeb", "Hassan", "Ibrahim",
        ),
    ),
    "latin_american": NameGroup(
        male=(
            "Juan", "Carlos", "José", "Luis", "Jorge", "Andrés", "Diego", "Miguel", "Alejandro",
            "Fernando", "Javier", "Ricardo", "Wilson", "Edwin", "Jean-Baptiste",
        ),
        female=(
            "María", "Ana", "Carmen", "Lucía", "Gabriela", "Daniela", "Paola", "Valentina",
            "Andrea", "Rosa", "Camila", "Yolanda", "Marisol",
        ),
        family=(
            "García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez",
            "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Morales", "Castillo",
            "Vargas", "Mendoza",
        ),
    ),
    "armenian": NameGroup(
        male=(
            "Aram", "Armen", "Tigran", "Hayk", "Davit", "Gevorg", "Narek", "Vardan", "Artur",
            "Karen", "Samvel",
        ),
        female=(
            "Anahit", "Lusine", "Mariam", "Gayane", "Armine", "Nare", "Siranush", "Ani",
        ),
        family=(
            "Petrosyan", "Sargsyan", "Hakobyan", "Grigoryan", "Harutyunyan", "Avetisyan",
            "Khachatryan", "Vardanyan", "Karapetyan", "Mkrtchyan", "Gasparyan",
        ),
    ),
    "georgian": NameGroup(
        male=(
            "Giorgi", "Levan", "Davit", "Irakli", "Zurab", "Nika", "Lasha", "Tornike",
        ),
        female=(
            "Nino", "Tamar", "Ketevan", "Mariam", "Eka", "Salome", "Natia",
        ),
        family=(
            "Beridze", "Kapanadze", "Gelashvili", "Maisuradze", "Lomidze", "Giorgadze", "Tsiklauri",
            "Mamedashvili", "Kvaratskhelia",
        ),
    ),
    "turkic_caucasus_central_asia": NameGroup(
        male=(
            "Elvin", "Rashad", "Farid", "Orkhan", "Rustam", "Timur", "Bakhtiyor", "Farrukh",
            "Jamshid", "Azamat", "Ilham", "Anar",
        ),
        female=(
            "Aynur", "Gunel", "Leyla", "Dilnoza", "Gulnara", "Madina", "Zarina", "Aigerim",
        ),
        family=(
            "Aliyev", "Mammadov", "Huseynov", "Karimov", "Rakhimov", "Tursunov", "Nazarov",
            "Yusupov", "Ismayilov", "Abdullayev", "Sultanov",
        ),
        gendered_family=True,
    ),
    "east_slavic": NameGroup(
        male=(
            "Aleksandr", "Dmitri", "Sergei", "Andrei", "Oleksandr", "Mykola", "Ivan", "Pavel",
            "Vitali", "Yuri",
        ),
        female=(
            "Olga", "Natalia", "Irina", "Svetlana", "Oksana", "Tetiana", "Yulia", "Elena",
        ),
        family=(
            "Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Morozov", "Sokolov",
            "Lebedev", "Novikov",
        ),
        gendered_family=True,
    ),
    "balkan": NameGroup(
        male=(
            "Arben", "Besnik", "Dritan", "Ilir", "Edon", "Milan", "Dragan", "Nikola", "Fatos",
        ),
        female=(
            "Arta", "Blerta", "Elira", "Vesna", "Jelena", "Dragana", "Liridona", "Mirela",
        ),
        family=(
            "Hoxha", "Krasniqi", "Gashi", "Berisha", "Shala", "Petrović", "Jovanović", "Nikolić",
            "Kelmendi", "Morina", "Hadžić",
        ),
    ),
    "chinese": NameGroup(
        male=(
            "Jianguo", "Zhiwei", "Haoran", "Junjie", "Xiaoming", "Weiqiang", "Jun", "Lei", "Hao",
            "Ming", "Tao", "Bin", "Yong", "Zhiqiang",
        ),
        female=(
            "Xiaoli", "Meiling", "Xiuying", "Yanping", "Lihua", "Jing", "Mei", "Ying", "Hui",
            "Fang", "Yan", "Na", "Lan", "Xiaoyan",
        ),
        family=(
            "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Lin",
            "Zheng", "Xu", "Sun",
        ),
    ),
    "south_asian": NameGroup(
        male=(
            "Muhammad", "Imran", "Asif", "Bilal", "Rahul", "Ravi", "Suresh", "Tharindu", "Kamal",
            "Rafiq", "Sohel", "Arjun", "Prakash", "Nuwan",
        ),
        female=(
            "Ayesha", "Farzana", "Nusrat", "Priya", "Anjali", "Sunita", "Dilini", "Nazia", "Sadia",
            "Kavitha", "Shirin",
        ),
        family=(
            "Khan", "Hussain", "Ahmed", "Chowdhury", "Rahman", "Singh", "Sharma", "Perera",
            "Fernando", "Gurung", "Thapa", "Islam", "Malik", "Butt",
        ),
    ),
    "southeast_east_asian": NameGroup(
        male=(
            "Minh", "Tuan", "Hung", "Duc", "Quang", "Batbayar", "Ganbold", "Aung", "Kyaw",
        ),
        female=(
            "Lan", "Hoa", "Thu", "Huong", "Mai", "Oyuun", "Saraa", "Enkhjargal", "Thandar",
        ),
        family=(
            "Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dorj", "Gantulga", "Batbold", "Htun",
            "Win",
        ),
    ),
}
# fmt: on
"""Name lists per language area."""

COUNTRY_NAME_GROUP: dict[str, str] = {
    **dict.fromkeys(("ER", "ET"), "horn_of_africa"),
    **dict.fromkeys(("SO", "DJ"), "somali"),
    **dict.fromkeys(
        ("GN", "SN", "ML", "CI", "BF", "NE", "TG", "BJ", "MR", "GW", "CM", "TD", "GA"),
        "west_africa_francophone",
    ),
    **dict.fromkeys(("NG", "GH"), "west_africa_anglophone"),
    **dict.fromkeys(("SL", "LR", "GM"), "sierra_leone_liberia"),
    **dict.fromkeys(("IR", "TJ"), "persian"),
    "AF": "afghan",
    **dict.fromkeys(
        ("IQ", "SY", "LB", "JO", "PS", "YE", "SA", "KW", "OM", "AE", "QA", "BH"),
        "arabic_mashriq",
    ),
    **dict.fromkeys(("MA", "DZ", "TN", "LY", "EG", "EH"), "maghreb"),
    **dict.fromkeys(("SD", "SS"), "sudanese"),
    "AM": "armenian",
    "GE": "georgian",
    **dict.fromkeys(("AZ", "TR", "UZ", "KZ", "KG", "TM"), "turkic_caucasus_central_asia"),
    **dict.fromkeys(("RU", "UA", "BY", "MD"), "east_slavic"),
    **dict.fromkeys(("AL", "XK", "RS", "BA", "MK", "ME"), "balkan"),
    **dict.fromkeys(("CN", "HK", "TW"), "chinese"),
    **dict.fromkeys(("PK", "BD", "IN", "LK", "NP"), "south_asian"),
    **dict.fromkeys(("VN", "MN", "MM", "LA", "KH", "TH"), "southeast_east_asian"),
}
"""The name group used for people from a country."""

REGION_NAME_GROUP: dict[Region, str] = {
    Region.SUB_SAHARAN_AFRICA: "east_central_africa",
    Region.MIDDLE_EAST: "arabic_mashriq",
    Region.ASIA: "south_asian",
    Region.NORTH_AFRICA: "maghreb",
    Region.LATIN_AMERICA: "latin_american",
    Region.EUROPE_NON_EU: "balkan",
}
"""The name group for a country without its own entry in ``COUNTRY_NAME_GROUP``."""

STATELESS_NAME_GROUPS: tuple[str, ...] = ("arabic_mashriq", "east_slavic", "somali", "afghan")
"""Name groups drawn from for stateless people (Palestinians, Kurds, Bidoon, former
Soviet citizens, people from the Horn of Africa)."""

COUNTRY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "ER": ("Tigrinya", "Arabisch"),
    "ET": ("Amhaars", "Oromo", "Tigrinya"),
    "SO": ("Somalisch",),
    "DJ": ("Somalisch", "Frans"),
    "GN": ("Frans", "Fula", "Malinke", "Soussou"),
    "SN": ("Frans", "Wolof"),
    "ML": ("Frans", "Bambara"),
    "CI": ("Frans", "Dioula"),
    "NG": ("Engels", "Yoruba", "Igbo", "Edo"),
    "GH": ("Engels", "Twi"),
    "SL": ("Krio", "Engels"),
    "LR": ("Engels",),
    "GM": ("Engels", "Mandinka"),
    "UG": ("Engels", "Luganda"),
    "CD": ("Frans", "Lingala", "Swahili"),
    "CM": ("Frans", "Engels"),
    "BI": ("Kirundi", "Frans"),
    "RW": ("Kinyarwanda", "Frans"),
    "SS": ("Arabisch", "Dinka", "Engels"),
    "KE": ("Swahili", "Engels"),
    "AO": ("Portugees",),
    "IR": ("Farsi",),
    "AF": ("Dari", "Pasjtoe"),
    "IQ": ("Arabisch", "Koerdisch (Sorani)"),
    "SY": ("Arabisch", "Koerdisch (Kurmanji)"),
    "TR": ("Turks", "Koerdisch (Kurmanji)"),
    "YE": ("Arabisch",),
    "LB": ("Arabisch", "Frans"),
    "PS": ("Arabisch",),
    "KW": ("Arabisch",),
    "SD": ("Arabisch",),
    "MA": ("Arabisch", "Tamazight", "Frans"),
    "DZ": ("Arabisch", "Frans"),
    "TN": ("Arabisch", "Frans"),
    "EG": ("Arabisch",),
    "LY": ("Arabisch",),
    "CN": ("Mandarijn",),
    "PK": ("Urdu", "Punjabi"),
    "BD": ("Bengaals",),
    "IN": ("Hindi", "Engels"),
    "LK": ("Tamil", "Singalees"),
    "NP": ("Nepalees",),
    "MN": ("Mongools", "Russisch"),
    "VN": ("Vietnamees",),
    "AM": ("Armeens", "Russisch"),
    "GE": ("Georgisch", "Russisch"),
    "AZ": ("Azerbeidzjaans", "Russisch"),
    "RU": ("Russisch",),
    "UA": ("Oekraïens", "Russisch"),
    "AL": ("Albanees",),
    "XK": ("Albanees",),
    "RS": ("Servisch",),
    "CO": ("Spaans",),
    "VE": ("Spaans",),
    "EC": ("Spaans",),
    "DO": ("Spaans",),
    "CU": ("Spaans",),
    "BR": ("Portugees",),
    "HT": ("Haïtiaans Creools", "Frans"),
    "SR": ("Nederlands", "Sranantongo"),
}
"""Languages people from a country often speak (Dutch language names)."""


def family_name_for(group: NameGroup, family: str, female: bool) -> str:
    """The family name as a woman of ``group`` would carry it (``-ov`` becomes ``-ova``)."""
    if female and group.gendered_family and family.endswith(("ov", "ev", "in")):
        return family + "a"
    return family
