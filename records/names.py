"""Indian name matching: every Indian script to Latin, normalisation, phonetic keys, token-wise scoring.

The pipeline: `normalise(name)` gives lower-case Latin tokens (names in any of the SCRIPTS transliterated, honorifics
dropped, abbreviations such as Md./Mohd. expanded); `phonetic(token)` gives a key equal for spellings that sound alike
(v/b/w, ph/f, aspirates, sh/s, z/j, q/k, x/ksh, doubled letters, vowels); `name_score(a, b)` compares two names
token by token, order-insensitive, tolerant of initials, dropped or joined middle names and typos, and explains
itself; `index_keys(...)` gives the keys a person is retrieved by.

Transliteration: Devanagari is read by the table below; the other Brahmic scripts are first written in Devanagari by
aksharamukha (all of them share its structure: consonants with an inherent vowel, vowel signs, virama) and then read
by the same table, so that one set of name rules (dropped inherent vowels, nukta letters, anusvara) serves them all;
Urdu goes through aksharamukha's romanisation of its letters and the Urdu rules (unwritten short vowels, و and ی as
vowels or consonants). Each word is transliterated once (cached).
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from rapidfuzz.distance import JaroWinkler

# --- Cache sizes ----------------------------------------------------------------------------------------
# Every cache here lives as long as its process, and a web worker answering records searches fills them with every
# name and pair of tokens it compares: at their former sizes they held half a gigabyte per worker when full (500,000
# token pairs alone were 245 MB), which the soak saw as a worker growing steadily. Bounded as below they hold well under
# 100 MB, reached within minutes; the least recently used entry goes first, so the common names stay.
WORD_CACHE = 1 << 15  # a word as written → Latin or Devanagari
TOKEN_CACHE = 1 << 16  # a token → its phonetic key (small entries)
NAME_CACHE = 1 << 15  # a name → its tokens, or its tokens → their keys
PAIR_CACHE = 1 << 15  # two tokens → their similarity
NAME_PAIR_CACHE = 1 << 14  # two names → their score

# --- Scripts ------------------------------------------------------------------------------------------

SCRIPTS = (
    "latin", "devanagari", "bengali-assamese", "gurmukhi", "gujarati", "odia", "tamil", "telugu", "kannada", "malayalam",
    "urdu",
)  # fmt: skip
# the first word of a letter's Unicode name → its script
UNICODE_SCRIPTS = {
    "LATIN": "latin", "MODIFIER": "latin", "DEVANAGARI": "devanagari", "BENGALI": "bengali-assamese",
    "GURMUKHI": "gurmukhi", "GUJARATI": "gujarati", "ORIYA": "odia", "TAMIL": "tamil", "TELUGU": "telugu",
    "KANNADA": "kannada", "MALAYALAM": "malayalam", "ARABIC": "urdu",
}  # fmt: skip


@lru_cache(maxsize=8192)
def script_of(char: str) -> str:
    """The script of a letter: one of SCRIPTS, or the Unicode name of another ('sinhala', 'cyrillic', 'ol chiki')."""
    if char.isascii():
        return "latin"
    name = unicodedata.name(char, "")
    if not name:
        return "unknown"
    first = name.split()[0]
    if first in UNICODE_SCRIPTS:
        return UNICODE_SCRIPTS[first]
    return name.split(" LETTER ")[0].lower() if " LETTER " in name else first.lower()


# --- Devanagari to Latin ------------------------------------------------------------------------------

VOWELS = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ॠ": "ri", "ऌ": "li", "ए": "e", "ऐ": "ai",
    "ओ": "o", "औ": "au", "ऍ": "e", "ऑ": "o", "ऎ": "e", "ऒ": "o",
}  # fmt: skip
MATRAS = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "ॄ": "ri", "े": "e", "ै": "ai", "ो": "o", "ौ": "au",
    "ॅ": "e", "ॉ": "o", "ॆ": "e", "ॊ": "o", "ॢ": "li",
}  # fmt: skip
CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j", "झ": "jh", "ञ": "n",
    "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
    "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v", "श": "sh",
    "ष": "sh", "स": "s", "ह": "h", "ळ": "l", "ऴ": "l", "ऱ": "r", "ऩ": "n",
    # precomposed nukta letters
    "क़": "q", "ख़": "kh", "ग़": "g", "ज़": "z", "ड़": "r", "ढ़": "rh", "फ़": "f", "य़": "y",
}  # fmt: skip
NUKTA_FORMS = {"क": "q", "ख": "kh", "ग": "g", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f", "य": "y"}
NUKTA, VIRAMA, ANUSVARA, CANDRABINDU, VISARGA, AVAGRAHA = "\u093c", "\u094d", "\u0902", "\u0901", "\u0903", "\u093d"
DIGITS = {chr(0x0966 + i): str(i) for i in range(10)}
DRAVIDIAN_CONSONANTS = {**CONSONANTS, "ऴ": "zh"}  # ழ, ഴ: Kanimozhi, Kozhikode


def is_devanagari(char: str) -> bool:
    return "\u0900" <= char <= "\u097f"


@lru_cache(maxsize=WORD_CACHE)
def _transliterate_word(word: str, dravidian: bool = False) -> str:
    """One Devanagari word to Latin (see `transliterate`). `dravidian`: a word of a south Indian script written in
    Devanagari, whose inherent vowels are all spoken (சரவணன் → saravanan, not sarvanan) and whose ழ/ഴ is zh."""
    consonants_of = DRAVIDIAN_CONSONANTS if dravidian else CONSONANTS
    # units: [latin consonant or vowel, vowel after it or None (virama) or "a" (inherent), is_consonant, conjunct_before]
    units: list[list] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if ch in consonants_of:
            sound = consonants_of[ch]
            i += 1
            if i < n and word[i] == NUKTA:
                sound = NUKTA_FORMS.get(ch, sound)
                i += 1
            conjunct = bool(units) and units[-1][2] and units[-1][1] is None
            vowel, inherent = "a", True
            if i < n and word[i] == VIRAMA:
                vowel, inherent, i = None, False, i + 1
            elif i < n and word[i] in MATRAS:
                vowel, inherent, i = MATRAS[word[i]], False, i + 1
            units.append([sound, vowel, True, conjunct, inherent])
            continue
        if ch in VOWELS:
            units.append([VOWELS[ch], "", False, False, False])
        elif ch in (ANUSVARA, CANDRABINDU):
            following = word[i + 1] if i + 1 < n else ""
            nasal = "m" if following in ("प", "फ", "ब", "भ", "म") else ("ng" if following == "ह" else "n")
            units.append([nasal, "", False, False, False])
        elif ch == VISARGA:
            units.append(["h", "", False, False, False])
        elif ch in (NUKTA, VIRAMA, AVAGRAHA, "\u200c", "\u200d"):
            pass
        elif ch in DIGITS:
            units.append([DIGITS[ch], "", False, False, False])
        else:
            units.append([ch, "", False, False, False])
        i += 1
    consonants = [u for u in units if u[2]]
    # schwa deletion: at the end of a word (not after a conjunct), then right to left in V C(a) C V
    last = units[-1] if units else None
    if not dravidian and last is not None and last[2] and last[4] and len(consonants) > 1 and not last[3]:
        last[1] = ""
    for k in range(len(units) - 2, 0, -1) if not dravidian else ():
        unit, before = units[k], units[k - 1]
        if not (unit[2] and unit[4] and unit[1] == "a"):
            continue
        j = k + 1
        while j < len(units) - 1 and units[j][2] and units[j][1] is None:
            j += 1  # a following conjunct counts by its last consonant (हरप्रीत → harprit)
        vowel_before = (before[2] and before[1]) or (not before[2] and before[0] in VOWELS.values())
        vowel_after = units[j][2] and units[j][1]
        if units[k + 1][1] is None and units[k + 1][0] == units[min(k + 2, len(units) - 1)][0]:
            vowel_after = False  # before a doubled consonant Hindi keeps the vowel (मोहम्मद → mohammad)
        if vowel_before and vowel_after and not unit[3]:
            unit[1] = ""
    out = []
    for sound, vowel, is_consonant, _conjunct, _inherent in units:
        out.append(sound)
        if is_consonant and vowel:
            out.append(vowel)
    return "".join(out)


# --- aksharamukha: the letters of each script ---------------------------------------------------------

LIBRARY = {
    "bengali-assamese": ("Assamese", "Devanagari", ()),  # Assamese ৰ and ৱ as well as the letters shared with Bengali
    "gurmukhi": ("Gurmukhi", "Devanagari", ()),
    "gujarati": ("Gujarati", "Devanagari", ()),
    "odia": ("Oriya", "Devanagari", ()),
    "tamil": ("Tamil", "Devanagari", ("TamilTranscribe",)),
    "telugu": ("Telugu", "Devanagari", ()),
    "kannada": ("Kannada", "Devanagari", ()),
    "malayalam": ("Malayalam", "Devanagari", ()),
    "urdu": ("Urdu", "Latn", ()),
}  # script → aksharamukha's source, target and pre-options
BATCH_SEPARATOR = "\nq\n"  # between words given at once: a Latin letter, which no script's rules reach across
BATCH_SIZE = 2000
_learnt: dict[tuple[str, str], str] = {}  # (script, word) → aksharamukha's output, from `learn`


def _aksharamukha():
    from aksharamukha import transliterate as aksharamukha  # imported when first needed: it loads its tables

    return aksharamukha


def _library_input(script: str, word: str) -> str:
    return unicodedata.normalize("NFKC", word).translate(URDU_LETTERS) if script == "urdu" else word


def _library(script: str, word: str) -> str:
    """aksharamukha's rendering of one word (LIBRARY)."""
    word = _library_input(script, word)
    found = _learnt.get((script, word))
    if found is None:
        source, target, options = LIBRARY[script]
        found = _aksharamukha().process(source, target, word, pre_options=list(options))
    return found


def learn(texts: Iterable) -> None:
    """Have aksharamukha render the new words of many names at once, one call per script: a call costs about a
    millisecond however few words it is given, so a bulk import passes each chunk's names here first (values that are
    not text, and names in Latin or Devanagari, are passed over)."""
    new: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        if type(text) is not str or text.isascii():
            continue
        for word in unicodedata.normalize("NFC", text).split():
            script = "latin" if word.isascii() else next((s for s in map(script_of, word) if s != "latin"), "latin")
            if script in LIBRARY and (script, _library_input(script, word)) not in _learnt:
                new[script].add(_library_input(script, word))
    if len(_learnt) > 500_000:
        _learnt.clear()
    for script, words in new.items():
        source, target, options = LIBRARY[script]
        ordered = sorted(words)
        for start in range(0, len(ordered), BATCH_SIZE):
            batch = ordered[start : start + BATCH_SIZE]
            out = _aksharamukha().process(source, target, BATCH_SEPARATOR.join(batch), pre_options=list(options))
            out = out.split(BATCH_SEPARATOR)
            if len(out) == len(batch):
                _learnt.update(zip([(script, word) for word in batch], out, strict=True))


# --- The other Brahmic scripts, through Devanagari -----------------------------------------------------

DRAVIDIAN = frozenset({"tamil", "telugu", "kannada", "malayalam"})  # no dropped inherent vowels
NATIVE_FORMS = {"ravu": "rao", "rav": "rao"}  # రావు, ರಾವ್: how the surname is written in Latin
JA_LETTER = re.compile("(?<!\u094d)\u092f(?!\u093c)")  # য, ଯ: ja, unless in a conjunct (্য) or with a nukta (য়: ya)
WA_START = re.compile("^\u0913\u092f\u093c")  # ওয়া at the start of a word: wa (ওয়াসিম → wasim)
TAMIL_UNVOICED = str.maketrans("गडदब", "कटतप")


@lru_cache(maxsize=WORD_CACHE)
def to_devanagari(word: str, script: str, voiced: bool = False) -> str:
    """A word of another Brahmic script written in Devanagari (aksharamukha), letter for letter but for a few
    letters that Hindi spelling would read otherwise.

    Bengali and Odia য/ଯ is ja. Tamil has one letter for k/g, c/s/j, t/d, p/b: aksharamukha's TamilTranscribe
    reads ச as s or ch as spoken and voices the other stops where Tamil speech does (after a nasal, between vowels);
    the record keeps them unvoiced (கணேசன் → kanesan, சிவகுமார் → sivakumar, as Sanskrit names are spelt in Latin)
    unless `voiced` (முருகன் → murugan, பாண்டியன் → pandiyan).
    """
    text = unicodedata.normalize("NFC", _library(script, word))  # य़ → य + ़, as the Devanagari rules read it
    if script == "tamil":
        return text if voiced else text.translate(TAMIL_UNVOICED)
    if script in ("bengali-assamese", "odia"):
        text = JA_LETTER.sub("\u091c", WA_START.sub("\u0935", text))
    return text


# --- Urdu ---------------------------------------------------------------------------------------------

URDU_LETTERS = str.maketrans({"ه": "ہ", "ۂ": "ہ", "ۀ": "ہ", "ة": "ت", "ى": "ی", "ي": "ی", "ك": "ک", "ۓ": "ے", "\u0640": ""})
# aksharamukha's romanisation of each Urdu consonant → as names are spelt
URDU_SOUNDS = {
    "b": "b", "p": "p", "t": "t", "ʈ": "t", "ṯ": "s", "j": "j", "č": "ch", "ḥ": "h", "ḫ": "kh", "d": "d", "ɖ": "d",
    "ḏ": "z", "r": "r", "ɽ": "r", "z": "z", "ž": "zh", "s": "s", "š": "sh", "ṣ": "s", "ḍ": "z", "ṭ": "t", "ẓ": "z",
    "ġ": "gh", "f": "f", "q": "q", "k": "k", "g": "g", "l": "l", "m": "m", "n": "n", "ₘ": "n", "h": "h", "ḧ": "t",
}  # fmt: skip
URDU_VOWELS = {"a": "a", "ā": "a", "i": "i", "ī": "i", "u": "u", "ū": "u", "e": "e", "ē": "e", "o": "o", "ō": "o", "ʿ": "a", "ʾ": ""}


@lru_cache(maxsize=WORD_CACHE)
def _urdu_word(word: str) -> str:
    """An Urdu word in plain Latin: aksharamukha romanises its letters (راجیش → rājyš, محمد → mḥmd), then the Urdu rules.

    Urdu leaves short vowels unwritten and writes long ones with و and ی, which are also the consonants v and y:
    at the start of a word or before a vowel they are consonants, elsewhere vowels (جاوید → javed, محمود → mahmud,
    یوسف → yusf, علی → ali). ع stands for a vowel (عرفان → arfan), ہ at the end of a word after a consonant is the
    vowel a (فاطمہ → fatma), and an h after a consonant gets the vowel that is not written before it (محمد → mahmd,
    not the aspirate mhmd). Other short vowels stay unwritten (کمار → kmar): the phonetic key drops vowels, so that
    kmar and Kumar agree.
    """
    roman = _library("urdu", word)
    units: list[list[str]] = []  # [kind: C(onsonant), V(owel), W/Y (to be decided), its Latin, the letter]
    for ch in roman:
        if ch == "ʰ" and units and units[-1][0] == "C":
            units[-1][1] += "h"  # aspirate (بھ → bh)
        elif ch in URDU_SOUNDS:
            units.append(["C", URDU_SOUNDS[ch], ch])
        elif ch in URDU_VOWELS:
            units.append(["V", URDU_VOWELS[ch], ch])
        elif ch in "wy":
            units.append([ch.upper(), "", ch])
        elif ch.isalpha():
            units.append(["C", ch, ch])
    for k in range(len(units) - 1, -1, -1):  # right to left: what follows is decided first
        unit = units[k]
        if unit[0] not in "WY":
            continue
        after = units[k + 1][0] if k + 1 < len(units) else ""
        if k == 0 or after == "V" or (unit[0] == "W" and not after and k > 1 and units[k - 1][0] == "Y" and units[k - 2][0] == "C"):
            unit[0], unit[1] = "C", "v" if unit[0] == "W" else "y"  # final یو after a consonant: -ev (دیو, راجیو)
        else:
            vowel_before = units[k - 1][0] == "V"
            unit[0], unit[1] = "V", "u" if unit[0] == "W" else ("i" if not after or vowel_before else "e")
    if len(units) > 1 and units[-1][2] == "h" and units[-1][0] == "C" and units[-2][0] == "C":
        units[-1][0], units[-1][1] = "V", "a"
    out = []
    for k, (kind, latin, letter) in enumerate(units):
        if kind == "C" and letter in "hḥ" and k and units[k - 1][0] == "C":
            out.append("a")
        out.append(latin)
    return "".join(out)


# --- Transliteration ----------------------------------------------------------------------------------


def transliterate(text: str, *, voiced: bool = False) -> str:
    """A name in any of the SCRIPTS to plain Latin as Indians commonly write names (राम → ram, মোহম্মদ → mohammad,
    ராஜேஷ் → rajesh, راجیش → rajesh).

    Long vowels are written short (ā → a), as in everyday spelling; the inherent vowel is dropped at the end of a
    word and where Hindi drops it inside one (इरफ़ान → irfan, कमला → kamla, but कृष्ण → krishna); anusvara becomes
    n (m before labials, ng before h: सिंह → singh), visarga h, nukta letters their Perso-Arabic sounds (q, z, f).
    Latin passes through unchanged. `voiced`: Tamil read as spoken (முருகன் → murugan rather than murukan), see
    `readings`.
    """
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text
    return "".join(part if part.isascii() else word_to_latin(part, voiced) for part in re.split(r"(\s+)", text))


@lru_cache(maxsize=WORD_CACHE)
def word_to_latin(word: str, voiced: bool = False) -> str:
    """One word in plain Latin, read by the rules of its script (that of its first letter not in Latin)."""
    script = next((s for s in map(script_of, word) if s != "latin"), "latin")
    if script == "devanagari":
        return _transliterate_word(word)
    if script == "urdu":
        return _urdu_word(word)
    if script not in LIBRARY:
        return word
    latin = _transliterate_word(to_devanagari(word, script, voiced), dravidian=script in DRAVIDIAN)
    if script in DRAVIDIAN:
        latin = latin.replace("au", "ow")  # ಗೌಡ → gowda, చౌదరి → chowdari, as the south spells them
    return NATIVE_FORMS.get(latin, latin)


# --- Normalisation ------------------------------------------------------------------------------------

HONORIFICS = frozenset(
    "shri sh shree sri sree smt shrimati srimati kumari km kum mr mrs ms miss dr late lt mst master baby "
    "thiru tmt selvi janab mohtarma sahab saheb sahib ji".split()
)
ABBREVIATIONS = {
    "md": "mohammad", "mohd": "mohammad", "mohmd": "mohammad", "mhd": "mohammad", "mohamad": "mohammad", "mohammed": "mohammad",
    "muhammad": "mohammad", "muhammed": "mohammad", "mohamed": "mohammad", "mohammd": "mohammad", "mo": "mohammad",
    "kr": "kumar", "pd": "prasad", "prashad": "prasad", "ch": "chand",
}  # fmt: skip
ALIAS_MARKERS = re.compile(r"\s(?:@|alias|urf|alias:|a\.k\.a\.?|aka)\s", re.IGNORECASE)
RELATION_MARKERS = re.compile(r"\b(?:s/o|d/o|w/o|c/o|son of|daughter of|wife of)\b.*$", re.IGNORECASE)
NON_LETTERS = re.compile(r"[^a-z ]+")
ASCII_LETTER = re.compile(r"[A-Za-z]")


def split_aliases(name: str) -> list[str]:
    """'Ramesh urf Pappu' → ['Ramesh', 'Pappu']: the name and the aliases written into it."""
    parts = [p.strip() for p in ALIAS_MARKERS.split(f" {name} ") if p.strip()]
    return parts or [name]


def scripts_in(name: str) -> set[str]:
    """Which scripts the letters of a name are written in: some of SCRIPTS ('latin', 'devanagari', 'tamil', 'urdu'…),
    or the Unicode name of another ('sinhala', 'cyrillic')."""
    if name.isascii():  # the common case, without a look at each character
        return {"latin"} if ASCII_LETTER.search(name) else set()
    return {script_of(ch) for ch in name if ch.isalpha()}


@lru_cache(maxsize=NAME_CACHE)
def normalise(name: str, voiced: bool = False) -> tuple[str, ...]:
    """Lower-case Latin tokens: transliterated, honorifics dropped, abbreviations expanded, punctuation gone.
    `voiced`: Tamil read as spoken (see `readings`)."""
    ascii_only = name.isascii()
    if not ascii_only:
        name = transliterate(name, voiced=voiced)
    name = RELATION_MARKERS.sub("", name)
    name = name.lower()
    if not ascii_only:  # accents off (é → e)
        name = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in name if not unicodedata.combining(c))
    name = name.replace("'", "").replace("’", "").replace("`", "")
    name = NON_LETTERS.sub(" ", name)
    tokens = []
    for token in name.split():
        if token in HONORIFICS:
            continue
        tokens.append(ABBREVIATIONS.get(token, token))
    return tuple(tokens)


TAMIL_VOICED_START = {"k": "g", "t": "d", "p": "b", "s": "ch", "c": "j"}
MAX_READINGS = 16


def readings(name: str) -> tuple[tuple[str, ...], ...]:
    """The Latin spellings a name may have been given, the one it is filed under (`normalise`) first, for looking a
    query up.

    One spelling for most names. Tamil writes k/g, c/s/j, t/d and p/b with one letter each, and Latin spellings
    follow either the Sanskrit original or Tamil speech (முருகன்: Murugan, not Murukan; கணேசன்: Ganesan): each part
    is also tried as spoken (voiced between vowels and after nasals), with its first letter voiced, and with ழ as l
    rather than zh (அழகிரி: Azhagiri or Alagiri), in at most MAX_READINGS combinations.
    """
    first = normalise(name)
    if not is_tamil(name):
        return (first,)
    spoken = normalise(name, voiced=True)
    if len(spoken) != len(first):
        return (first, spoken)
    options = []
    for plain, voiced in zip(first, spoken, strict=True):
        forms = [plain, voiced]
        forms += [form.replace("zh", "l") for form in forms if "zh" in form]  # ழ: Kanimozhi, but also Alagiri
        forms += [TAMIL_VOICED_START[form[0]] + form[1:] for form in forms if form[:1] in TAMIL_VOICED_START]
        options.append(list(dict.fromkeys(forms)))
    out = [first, spoken, *(tuple(forms[-1] for forms in options),)]  # the whole name as spoken, voiced throughout
    for combination in product(*options):
        if len(out) >= MAX_READINGS:
            break
        out.append(combination)
    return tuple(dict.fromkeys(out))[:MAX_READINGS]


# --- Phonetic key -------------------------------------------------------------------------------------

_RULES = [
    ("ksh", "ks"), ("x", "ks"), ("chh", "C"), ("ch", "C"), ("c", "k"), ("C", "c"), ("qu", "k"), ("q", "k"), ("z", "j"),
    ("ph", "f"), ("w", "v"), ("v", "b"), ("sh", "s"), ("dny", "G"), ("gy", "G"), ("jn", "G"), ("ck", "k"),
    ("kh", "k"), ("gh", "g"), ("jh", "j"), ("th", "t"), ("dh", "d"), ("bh", "b"), ("rh", "r"), ("lh", "l"),
    ("mb", "nb"), ("mp", "np"),
]  # fmt: skip
VOWEL_SET = frozenset("aeiouy")


@lru_cache(maxsize=TOKEN_CACHE)
def phonetic(token: str) -> str:
    """A key equal for Indian spellings that sound alike: Virender/Birender → brndr, Lakshmi/Laxmi → lksm, Qureshi/Kureshi → krs."""
    if not token:
        return ""
    s = token
    for old, new in _RULES:
        if old in s:
            s = s.replace(old, new)
    s = s.rstrip("h") or s  # trailing h: Shah/Sha, Singh/Sing
    first = s[0]
    head = "a" if first in VOWEL_SET and first != "y" else first
    if first == "y":
        head = "y"
    body = []
    prev = head
    for ch in s[1:]:
        if ch in VOWEL_SET:
            prev = ""
            continue
        if ch == "h" and prev and prev not in VOWEL_SET:  # an aspirate left over (e.g. after n or m)
            continue
        if ch != prev:
            body.append(ch)
        prev = ch
    return (head + "".join(body)).lower()


def initial(token: str) -> str:
    """The letter a token would be abbreviated to (w and v count as one)."""
    letter = token[:1]
    return "v" if letter == "w" else letter


# --- Similarity ---------------------------------------------------------------------------------------


def similar_spelling(a: str, b: str) -> float:
    """Jaro-Winkler similarity (rapidfuzz), 0 below 0.8: what counts as a similar spelling."""
    return JaroWinkler.normalized_similarity(a, b, score_cutoff=0.8)


VOICING = str.maketrans("gdbjs", "ktpcc")  # Tamil writes each pair with one letter (see `readings`)


def unvoiced(code: str) -> str:
    """A phonetic key with voiced and unvoiced stops (and s, ch, j) taken as one, doubled letters once."""
    folded = code.translate(VOICING)
    return folded[:1] + "".join(ch for prev, ch in zip(folded, folded[1:], strict=False) if ch != prev)


@lru_cache(maxsize=PAIR_CACHE)
def token_similarity(a: str, b: str, loose: bool = False) -> tuple[float, str]:
    """How alike two normalised tokens are (0–1) and why: same, initial, sounds alike, similar spelling. `loose`: a
    name written in Tamil is one side, and voicing does not count (Sundar and suntar sound alike)."""
    if a == b:
        return (1.0 if len(a) > 1 else 0.85), "same"
    if len(a) == 1 or len(b) == 1:
        if initial(a) == initial(b):
            return 0.85, "initial"
        return 0.0, ""
    ka, kb = phonetic(a), phonetic(b)
    if ka == kb:
        return 0.95, "sounds alike"
    if loose:
        ka, kb = unvoiced(ka), unvoiced(kb)
        if ka == kb:
            return 0.95, "sounds alike in Tamil"
    spelled = similar_spelling(a, b)
    sounded = similar_spelling(ka, kb) * 0.95 if len(ka) > 1 and len(kb) > 1 else 0.0
    best = max(spelled, sounded)
    if best < 0.8:
        return 0.0, ""
    return min(0.5 + (best - 0.8) * 2, 0.85), "similar spelling"


@dataclass
class NameScore:
    score: float
    explanation: list[str] = field(default_factory=list)


def _joined_variants(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The tokens as written, and with each pair of neighbours joined (Raj Kumar ↔ Rajkumar)."""
    variants = [tokens]
    if 2 <= len(tokens) <= 5:
        for i in range(len(tokens) - 1):
            if len(tokens[i]) > 1 and len(tokens[i + 1]) > 1:
                variants.append(tokens[:i] + (tokens[i] + tokens[i + 1],) + tokens[i + 2 :])
    return variants


def _score_tokens(q: tuple[str, ...], c: tuple[str, ...], loose: bool = False) -> NameScore:
    pairs = []
    for i, a in enumerate(q):
        for j, b in enumerate(c):
            sim, why = token_similarity(a, b, loose)
            if sim > 0:
                pairs.append((sim, i, j, why))
    pairs.sort(reverse=True)
    used_q, used_c, total, why_list = set(), set(), 0.0, []
    order_kept = True
    last_j = -1
    matched = []
    for sim, i, j, why in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        matched.append((i, j))
        total += sim
        why_list.append(f"{q[i]}={c[j]}" if why == "same" else f"{q[i]}~{c[j]} ({why})")
    for _i, j in sorted(matched):
        if j < last_j:
            order_kept = False
        last_j = j
    full_q = [i for i, t in enumerate(q) if len(t) > 1]
    full_c = [j for j, t in enumerate(c) if len(t) > 1]
    if not matched or not any(i in used_q for i in full_q) or not any(j in used_c for j in full_c):
        return NameScore(0.0, ["no full name part in common"])
    short, long_ = (q, c) if len(q) <= len(c) else (c, q)
    used_short, used_long = (used_q, used_c) if short is q else (used_c, used_q)
    score = total / len(short)
    for idx in range(len(short)):
        if idx not in used_short:
            why_list.append(f"{short[idx]} unmatched")
    extra = [idx for idx in range(len(long_)) if idx not in used_long]
    for idx in extra:
        middle = 0 < idx < len(long_) - 1
        score *= 0.93 if middle else 0.85
        why_list.append(f"{long_[idx]} missing" + (" (middle name)" if middle else ""))
    if not order_kept:
        why_list.append("words in another order")
    if len(short) == 1 and len(long_) > 1:
        score *= 0.9  # one word against a full name says little
    return NameScore(round(min(score, 1.0), 4), why_list)


def name_score(a: str | tuple[str, ...], b: str | tuple[str, ...], *, loose: bool | None = None) -> NameScore:
    """Compare two names token-wise (order-insensitive, initials, middle names, joins, typos); 0–1 with an explanation.
    `loose`: voicing does not count (token_similarity), by default when either name, as written, is in Tamil."""
    if loose is None:
        loose = any(isinstance(x, str) and is_tamil(x) for x in (a, b))
    qa = normalise(a) if isinstance(a, str) else tuple(a)
    qb = normalise(b) if isinstance(b, str) else tuple(b)
    score, explanation = _name_score(qa, qb, loose)
    return NameScore(score, list(explanation))


def is_tamil(name: str) -> bool:
    """Whether a name is written in Tamil script, whose spellings in Latin differ in voicing (see `readings`)."""
    return not name.isascii() and "tamil" in scripts_in(name)


@lru_cache(maxsize=NAME_PAIR_CACHE)
def _name_score(qa: tuple[str, ...], qb: tuple[str, ...], loose: bool = False) -> tuple[float, tuple[str, ...]]:
    if not qa or not qb:
        return 0.0, ("empty name",)
    best = _score_tokens(qa, qb, loose)
    if best.score >= 0.95 or len(qa) == len(qb):
        return best.score, tuple(best.explanation)
    # one side has more parts: perhaps two of them are one part of the other written apart (Raj Kumar ↔ Rajkumar)
    longer_is_a = len(qa) > len(qb)
    for joined in _joined_variants(qa if longer_is_a else qb)[1:]:
        va, vb = (joined, qb) if longer_is_a else (qa, joined)
        result = _score_tokens(va, vb, loose)
        if result.score > 0:
            result.score = round(result.score * 0.98, 4)
            result.explanation.append("joined name parts")
        if result.score > best.score:
            best = result
    return best.score, tuple(best.explanation)


# --- Retrieval keys -----------------------------------------------------------------------------------
#
# A key is a short string; a person is found through any key it shares with the query, and the rarer the key
# (the fewer persons the name index holds under it) the more it counts. Prefixes:
#   t:  one part's sound
#   p:  two parts' sounds, in either order (word order, a dropped middle name, a typo in the third part)
#   i:  the first part's initial with the last part's sound (R. Sharma), the last's with the first's (K. Ramesh
#       for Ramesh Krishnan)
#   n:  the initials of the parts before the last with its sound (R. K. Sharma)
#   f:  the first or the last part with the father's first name
#   y:  the first or the last part with the year of birth
#   d:  an identity number (records.matching)
# Parts written joined or apart (Raj Kumar ↔ Rajkumar) are handled on the query's side (query_keys), which keeps
# the keys stored per person few.

MAX_TOKENS = 5


@lru_cache(maxsize=NAME_CACHE)
def name_keys(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The keys of a name by itself: sounds, pairs of sounds, initials."""
    tokens = tokens[:MAX_TOKENS]
    full = [i for i, t in enumerate(tokens) if len(t) > 1]
    if not full:
        return ()
    codes = [phonetic(tokens[i]) for i in full]
    out = {f"t:{c}" for c in codes}
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if a != b:
                out.add(f"p:{a}|{b}" if a < b else f"p:{b}|{a}")
    first, last = full[0], full[-1]
    if len(tokens) > 1:
        if last != 0:
            out.add(f"i:{initial(tokens[0])}|{codes[-1]}")
        if first != len(tokens) - 1:
            out.add(f"i:{initial(tokens[-1])}|{codes[0]}")
    if last:
        out.add(f"n:{''.join([initial(t) for t in tokens[:last]])}|{codes[-1]}")
    return tuple(sorted(out))


@lru_cache(maxsize=NAME_CACHE)
def first_last_codes(tokens: tuple[str, ...]) -> tuple[str, ...]:
    codes = [phonetic(t) for t in tokens[:MAX_TOKENS] if len(t) > 1]
    return tuple(dict.fromkeys(codes[:1] + codes[-1:]))


@lru_cache(maxsize=NAME_CACHE)
def father_code(father_tokens: tuple[str, ...]) -> str:
    """The sound of the father's first full name part ('' if none)."""
    return next((phonetic(t) for t in father_tokens if len(t) > 1), "")


def index_keys(tokens: tuple[str, ...], father_tokens: tuple[str, ...] = (), birth_year: int | None = None) -> set[str]:
    """The keys a person is retrieved by: the name's own (name_keys), with the father's first name (f:) and with the
    year of birth (y:), each tied to the first and the last part of the name."""
    out = set(name_keys(tokens))
    ends = first_last_codes(tokens)
    father = father_code(father_tokens)
    for code in ends:
        if father:
            out.add(f"f:{code}|{father}")
        if birth_year:
            out.add(f"y:{code}|{birth_year}")
    return out


def _orders(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The query as typed, reversed, and with the first or last part moved to the other end (surname first)."""
    orders = [tokens]
    if len(tokens) > 1:
        orders += [tuple(reversed(tokens)), tokens[1:] + tokens[:1], tokens[-1:] + tokens[:-1]]
    return list(dict.fromkeys(orders))


def _rewritings(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Neighbouring parts joined (Raj Kumar → rajkumar), and long parts split in two (Rajkumar → raj kumar)."""
    out = []
    for i in range(len(tokens) - 1):
        if len(tokens[i]) > 1 and len(tokens[i + 1]) > 1:
            out.append(tokens[:i] + (tokens[i] + tokens[i + 1],) + tokens[i + 2 :])
    if len(tokens) < MAX_TOKENS:
        for i, token in enumerate(tokens):
            for cut in range(3, len(token) - 2):
                out.append(tokens[:i] + (token[:cut], token[cut:]) + tokens[i + 1 :])
    return out


def query_keys(tokens: tuple[str, ...], father_tokens: tuple[str, ...] = (), years: list[int] | tuple[int, ...] = ()) -> set[str]:
    """The keys to look a query up by: a record's keys for the query in each likely word order, the pairs and
    initials of its parts joined or split, and the father's name and the years tied to every part (the query's order
    is not known)."""
    tokens = tokens[:MAX_TOKENS]
    out: set[str] = set()
    for order in _orders(tokens):
        out.update(name_keys(order))
    codes = {phonetic(t) for t in tokens if len(t) > 1}
    for rewritten in _rewritings(tokens):
        out.update(k for k in name_keys(rewritten) if k[0] in "pn")
        codes.update(phonetic(t) for t in rewritten if len(t) > 1 and t not in tokens and len(t) > 5)
    father = father_code(father_tokens)
    for code in codes:
        if father:
            out.add(f"f:{code}|{father}")
        for year in years:
            out.add(f"y:{code}|{year}")
    return out
