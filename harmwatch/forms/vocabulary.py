"""Words reporters type instead of pressing a button, in every shipped language: "don't know",
"nobody", "yesterday", "3 to 5", "at least 4", "morning". `#` stands for a number.

Written naturally (accents, hamza, ZWNJ); parsing.normalise folds them the same way it folds
what the reporter typed, so "لا أعرف" also matches "لا اعرف" and "no sé" matches "no se"."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Words:
    unknown: tuple[str, ...] = ()
    zero: tuple[str, ...] = ()
    days_ago: dict[int, tuple[str, ...]] = field(default_factory=dict)  # 0 today, 1 yesterday…
    range_starts: tuple[str, ...] = ()  # "between" in "between 3 and 5"
    range_joins: tuple[str, ...] = ()  # "and" in "between 3 and 5"
    at_least: tuple[str, ...] = ()
    more_than: tuple[str, ...] = ()
    up_to: tuple[str, ...] = ()
    less_than: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()  # "people" in "3 people": ignored after a number
    times: dict[str, tuple[str, ...]] = field(default_factory=dict)  # TimeOfDay code → words


WORDS: dict[str, Words] = {
    "en": Words(
        unknown=("unknown", "don't know", "dont know", "do not know", "i don't know", "i dont know",
                 "i do not know", "not known", "not sure", "no idea", "idk", "unsure", "nobody knows"),
        zero=("none", "no one", "nobody", "zero", "nil", "not one", "no-one"),
        days_ago={0: ("today",), 1: ("yesterday",), 2: ("day before yesterday", "the day before yesterday")},
        range_starts=("between", "from"),
        range_joins=("-", "to", "and", "or"),
        at_least=("at least #", "# at least", "# or more", "#+", "# plus", "minimum #", "min #", "a minimum of #",
                  "not less than #", "no less than #", ">= #", "≥ #", "# and more", "# and above"),
        more_than=("more than #", "over #", "above #", "> #", "upwards of #"),
        up_to=("up to #", "at most #", "no more than #", "not more than #", "maximum #", "max #",
               "a maximum of #", "<= #", "≤ #", "# at most", "# at the most"),
        less_than=("less than #", "fewer than #", "under #", "below #", "< #"),
        about=("about #", "around #", "approximately #", "approx #", "approx. #", "roughly #", "nearly #",
               "almost #", "~#", "# or so", "some #", "circa #", "ca. #", "# approximately", "# approx"),
        nouns=("people", "persons", "person", "civilians", "dead", "killed", "injured", "wounded", "children",
               "kids", "missing"),
        times={"morning": ("morning", "in the morning", "this morning", "am", "a.m."),
               "afternoon": ("afternoon", "in the afternoon", "this afternoon", "noon", "midday"),
               "evening": ("evening", "in the evening", "this evening", "dusk", "sunset"),
               "night": ("night", "at night", "last night", "overnight", "midnight", "tonight")},
    ),
    "ar": Words(
        unknown=("لا أعرف", "لا اعرف", "لا أعلم", "لا ادري", "لا أدري", "ما بعرف", "مابعرف", "ما اعرف",
                 "ما بعرف شي", "مش عارف", "مو عارف", "غير معروف", "مجهول", "غير معلوم", "لا أحد يعرف",
                 "ما حدا بيعرف", "الله أعلم"),
        zero=("لا أحد", "ولا واحد", "ولا حدا", "صفر", "لا يوجد", "ما في حدا", "ولا شخص", "ما في", "ولا أحد"),
        days_ago={0: ("اليوم", "هذا اليوم"), 1: ("أمس", "البارحة", "مبارح", "امبارح", "البارح", "يوم أمس"),
                  2: ("أول أمس", "أول البارحة", "أول مبارح", "قبل أمس", "قبل البارحة", "اول امبارح")},
        range_starts=("من", "بين", "ما بين"),
        range_joins=("-", "إلى", "الى", "ل", "و", "أو", "حتى", "لـ"),
        at_least=("على الأقل #", "# على الأقل", "بالأقل #", "لا يقل عن #", "# أو أكثر", "# وأكثر",
                  "# فما فوق", "# وما فوق", "كحد أدنى #", "# كحد أدنى"),
        more_than=("أكثر من #", "فوق #", "ما يزيد عن #", "ما يزيد على #", "أزيد من #", "يزيد عن #"),
        up_to=("حتى #", "لغاية #", "على الأكثر #", "# على الأكثر", "لا يزيد عن #", "لا يزيد على #",
               "بحد أقصى #", "# كحد أقصى", "كحد أقصى #"),
        less_than=("أقل من #", "دون #"),
        about=("حوالي #", "حوالى #", "تقريبا #", "# تقريبا", "نحو #", "قرابة #", "زهاء #", "ما يقارب #",
               "ما يقرب من #", "بحدود #", "حدود #", "شي #", "قريب #"),
        nouns=("أشخاص", "شخص", "قتلى", "قتيل", "جرحى", "جريح", "شهداء", "شهيد", "أطفال", "طفل",
               "مدنيين", "مدنيا", "ناس", "مفقودين", "مصابين"),
        times={"morning": ("صباحا", "الصباح", "صباح", "الصبح", "صبح", "في الصباح", "الصبح بكير"),
               "afternoon": ("بعد الظهر", "ظهرا", "الظهر", "العصر", "عصرا", "الضهر"),
               "evening": ("مساء", "المساء", "مسا", "المسا", "المغرب", "عند المغرب"),
               "night": ("ليلا", "الليل", "ليل", "بالليل", "في الليل", "منتصف الليل", "الفجر")},
    ),
    "fr": Words(
        unknown=("je ne sais pas", "je sais pas", "sais pas", "ne sais pas", "inconnu", "inconnue",
                 "aucune idée", "pas sûr", "pas sûre", "on ne sait pas", "nsp"),
        zero=("aucun", "aucune", "personne", "zéro", "pas un seul"),
        days_ago={0: ("aujourd'hui", "aujourdhui", "auj"), 1: ("hier",), 2: ("avant-hier", "avant hier")},
        range_starts=("de", "entre"),
        range_joins=("-", "à", "et", "ou"),
        at_least=("au moins #", "# au moins", "# ou plus", "# et plus", "pas moins de #", "au minimum #",
                  "minimum #", "# minimum"),
        more_than=("plus de #", "plus que #", "au-delà de #", "davantage que #"),
        up_to=("jusqu'à #", "au plus #", "au maximum #", "maximum #", "pas plus de #", "# au plus", "# maximum",
               "tout au plus #"),
        less_than=("moins de #", "moins que #"),
        about=("environ #", "# environ", "à peu près #", "près de #", "autour de #", "approximativement #",
               "quelque #", "presque #"),
        nouns=("personnes", "morts", "mort", "blessés", "blessé", "civils", "enfants", "tués", "disparus", "gens"),
        times={"morning": ("matin", "le matin", "ce matin", "matinée", "dans la matinée"),
               "afternoon": ("après-midi", "après midi", "l'après-midi", "cet après-midi", "midi", "aprem"),
               "evening": ("soir", "le soir", "ce soir", "soirée", "dans la soirée"),
               "night": ("nuit", "la nuit", "cette nuit", "de nuit", "minuit")},
    ),
    "es": Words(
        unknown=("no sé", "no lo sé", "desconocido", "desconocida", "ni idea", "no sabemos",
                 "no estoy seguro", "no estoy segura", "se desconoce"),
        zero=("ninguno", "ninguna", "nadie", "cero", "ni uno"),
        days_ago={0: ("hoy",), 1: ("ayer",), 2: ("anteayer", "antier", "antes de ayer")},
        range_starts=("de", "entre", "desde"),
        range_joins=("-", "a", "y", "o", "hasta"),
        at_least=("al menos #", "por lo menos #", "# o más", "# y más", "como mínimo #", "mínimo #",
                  "# como mínimo", "no menos de #"),
        more_than=("más de #", "más que #"),
        up_to=("hasta #", "como máximo #", "máximo #", "a lo sumo #", "no más de #", "# como máximo"),
        less_than=("menos de #", "menos que #"),
        about=("unos #", "unas #", "alrededor de #", "aproximadamente #", "# aproximadamente", "cerca de #",
               "más o menos #", "# más o menos", "aprox #", "casi #"),
        nouns=("personas", "persona", "muertos", "muertas", "heridos", "heridas", "civiles", "niños",
               "desaparecidos", "gente"),
        times={"morning": ("mañana", "por la mañana", "en la mañana", "esta mañana"),
               "afternoon": ("tarde", "por la tarde", "en la tarde", "esta tarde", "mediodía"),
               "evening": ("atardecer", "al atardecer", "anochecer", "al anochecer"),
               "night": ("noche", "por la noche", "en la noche", "de noche", "madrugada", "anoche", "medianoche")},
    ),
    "uk": Words(
        unknown=("не знаю", "невідомо", "не відомо", "гадки не маю", "не впевнений", "не впевнена", "хто зна"),
        zero=("ніхто", "жодного", "жодної", "нікого", "нуль", "ні одного"),
        days_ago={0: ("сьогодні",), 1: ("вчора", "учора"), 2: ("позавчора", "позаучора")},
        range_starts=("від", "між", "з"),
        range_joins=("-", "до", "і", "й", "та", "або", "чи"),
        at_least=("щонайменше #", "принаймні #", "не менше #", "не менше ніж #", "мінімум #", "# або більше",
                  "# і більше", "як мінімум #"),
        more_than=("більше #", "більше ніж #", "більш ніж #", "понад #", "більше за #"),
        up_to=("до #", "не більше #", "не більше ніж #", "максимум #", "щонайбільше #"),
        less_than=("менше #", "менше ніж #", "менш ніж #", "менше за #"),
        about=("близько #", "приблизно #", "# приблизно", "біля #", "майже #", "десь #", "орієнтовно #"),
        nouns=("людей", "людини", "осіб", "особи", "загиблих", "поранених", "дітей", "цивільних", "зниклих"),
        times={"morning": ("ранок", "вранці", "зранку", "уранці", "зранка"),
               "afternoon": ("день", "вдень", "удень", "після обіду", "пообідь", "опівдні"),
               "evening": ("вечір", "ввечері", "увечері", "надвечір"),
               "night": ("ніч", "вночі", "уночі", "опівночі")},
    ),
    "ru": Words(
        unknown=("не знаю", "неизвестно", "не известно", "без понятия", "не уверен", "не уверена", "кто знает"),
        zero=("никто", "ни одного", "никого", "ноль", "ни одной"),
        days_ago={0: ("сегодня",), 1: ("вчера",), 2: ("позавчера",)},
        range_starts=("от", "между", "с"),
        range_joins=("-", "до", "и", "или", "по"),
        at_least=("не менее #", "по крайней мере #", "как минимум #", "минимум #", "не меньше #",
                  "# или больше", "# и больше", "хотя бы #", "# как минимум"),
        more_than=("больше #", "более #", "свыше #", "больше чем #", "более чем #"),
        up_to=("до #", "не более #", "не больше #", "максимум #", "самое большее #", "# максимум"),
        less_than=("меньше #", "менее #", "меньше чем #", "менее чем #"),
        about=("около #", "примерно #", "# примерно", "приблизительно #", "почти #", "где-то #", "порядка #",
               "где то #"),
        nouns=("человек", "людей", "погибших", "раненых", "детей", "мирных жителей", "убитых", "пропавших"),
        times={"morning": ("утро", "утром", "с утра"),
               "afternoon": ("день", "днём", "после обеда", "в полдень", "полдень"),
               "evening": ("вечер", "вечером"),
               "night": ("ночь", "ночью", "в полночь", "полночь")},
    ),
    "fa": Words(
        unknown=("نمی‌دانم", "نمیدانم", "نمی دانم", "نمیدونم", "نمی‌دونم", "نمی دونم", "نامعلوم", "نامشخص",
                 "معلوم نیست", "مشخص نیست", "خبر ندارم", "اطلاعی ندارم", "نمی‌دونم والا"),
        zero=("هیچ", "هیچ کس", "هیچکس", "هیچ‌کس", "صفر", "هیچی", "هیچ کسی", "هیچ‌کسی"),
        days_ago={0: ("امروز",), 1: ("دیروز",), 2: ("پریروز", "پری روز", "پری‌روز")},
        range_starts=("از", "بین"),
        range_joins=("-", "تا", "و", "یا"),
        at_least=("حداقل #", "دست کم #", "دستکم #", "# یا بیشتر", "# به بالا", "لااقل #", "# حداقل"),
        more_than=("بیش از #", "بیشتر از #", "بالای #", "بالاتر از #"),
        up_to=("تا #", "حداکثر #", "# حداکثر", "نه بیشتر از #"),
        less_than=("کمتر از #", "زیر #"),
        about=("حدود #", "حدودا #", "حدوداً #", "در حدود #", "تقریبا #", "تقریباً #", "# تقریبا", "نزدیک به #"),
        nouns=("نفر", "کشته", "زخمی", "مجروح", "کودک", "بچه", "شهید", "مفقود"),
        times={"morning": ("صبح", "صبح زود", "صبحگاه", "بامداد"),
               "afternoon": ("بعدازظهر", "بعد از ظهر", "بعد‌ازظهر", "ظهر", "عصر"),
               "evening": ("غروب", "سر شب", "سرشب", "اول شب", "شامگاه"),
               "night": ("شب", "نیمه شب", "نصف شب", "نیمه‌شب", "دیشب")},
    ),
}
