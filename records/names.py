"""Indian name matching without dependencies: Devanagari to Latin, normalisation, phonetic keys, token-wise scoring.

The pipeline: `normalise(name)` gives lower-case Latin tokens (Devanagari transliterated, honorifics dropped,
abbreviations such as Md./Mohd. expanded); `phonetic(token)` gives a key equal for spellings that sound alike
(v/b/w, ph/f, aspirates, sh/s, z/j, q/k, x/ksh, doubled letters, vowels); `name_score(a, b)` compares two names
token by token, order-insensitive, tolerant of initials, dropped or joined middle names and typos, and explains
itself; `index_keys(...)` gives the keys a person is retrieved by.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

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


def is_devanagari(char: str) -> bool:
    return "\u0900" <= char <= "\u097f"


def transliterate(text: str) -> str:
    """Devanagari to plain Latin as Indians commonly write names (राम → ram, मोहम्मद → mohammad, क़ुरैशी → qurashi).

    Long vowels are written short (ā → a), as in everyday spelling; the inherent vowel is dropped at the end of a
    word and where Hindi drops it inside one (इरफ़ान → irfan, कमला → kamla, but कृष्ण → krishna); anusvara becomes
    n (m before labials, ng before h: सिंह → singh), visarga h, nukta letters their Perso-Arabic sounds (q, z, f).
    Characters outside Devanagari pass through unchanged.
    """
    text = unicodedata.normalize("NFC", text)
    return "".join(_transliterate_word(part) if any(is_devanagari(c) for c in part) else part for part in re.split(r"(\s+)", text))


def _transliterate_word(word: str) -> str:
    # units: [latin consonant or vowel, vowel after it or None (virama) or "a" (inherent), is_consonant, conjunct_before]
    units: list[list] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if ch in CONSONANTS:
            sound = CONSONANTS[ch]
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
    if last is not None and last[2] and last[4] and len(consonants) > 1 and not last[3]:
        last[1] = ""
    for k in range(len(units) - 2, 0, -1):
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
    """Which scripts the letters of a name are written in: 'latin', 'devanagari', 'other'."""
    if name.isascii():  # the common case, without a look at each character
        return {"latin"} if ASCII_LETTER.search(name) else set()
    found = set()
    for ch in name:
        if not ch.isalpha():
            continue
        if is_devanagari(ch):
            found.add("devanagari")
        elif ch.isascii():
            found.add("latin")
        else:
            found.add("other")
    return found


@lru_cache(maxsize=200_000)
def normalise(name: str) -> tuple[str, ...]:
    """Lower-case Latin tokens: transliterated, honorifics dropped, abbreviations expanded, punctuation gone."""
    ascii_only = name.isascii()
    if not ascii_only and any(is_devanagari(c) for c in name):
        name = transliterate(name)
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


# --- Phonetic key -------------------------------------------------------------------------------------

_RULES = [
    ("ksh", "ks"), ("x", "ks"), ("chh", "C"), ("ch", "C"), ("c", "k"), ("C", "c"), ("qu", "k"), ("q", "k"), ("z", "j"),
    ("ph", "f"), ("w", "v"), ("v", "b"), ("sh", "s"), ("dny", "G"), ("gy", "G"), ("jn", "G"), ("ck", "k"),
    ("kh", "k"), ("gh", "g"), ("jh", "j"), ("th", "t"), ("dh", "d"), ("bh", "b"), ("rh", "r"), ("lh", "l"),
    ("mb", "nb"), ("mp", "np"),
]  # fmt: skip
VOWEL_SET = frozenset("aeiouy")


@lru_cache(maxsize=500_000)
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


@lru_cache(maxsize=500_000)
def jaro_winkler(a: str, b: str) -> float:
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(la, lb) // 2 - 1
    window = max(window, 0)
    a_flags, b_flags = [False] * la, [False] * lb
    matches = 0
    for i, ch in enumerate(a):
        lo, hi = max(0, i - window), min(lb, i + window + 1)
        for j in range(lo, hi):
            if not b_flags[j] and b[j] == ch:
                a_flags[i] = b_flags[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    transpositions, k = 0, 0
    for i in range(la):
        if a_flags[i]:
            while not b_flags[k]:
                k += 1
            if a[i] != b[k]:
                transpositions += 1
            k += 1
    m = matches
    jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def _may_reach(a: str, b: str) -> bool:
    """Whether a and b share enough letters for a Jaro-Winkler of 0.8 (which needs m/|a| + m/|b| >= 1, m being the
    matching letters): a cheap test that spares most comparisons of unrelated parts."""
    common = sum(min(a.count(ch), b.count(ch)) for ch in set(a).intersection(b))
    return common * (len(a) + len(b)) >= len(a) * len(b)


@lru_cache(maxsize=500_000)
def token_similarity(a: str, b: str) -> tuple[float, str]:
    """How alike two normalised tokens are (0–1) and why: same, initial, sounds alike, similar spelling."""
    if a == b:
        return (1.0 if len(a) > 1 else 0.85), "same"
    if len(a) == 1 or len(b) == 1:
        if initial(a) == initial(b):
            return 0.85, "initial"
        return 0.0, ""
    ka, kb = phonetic(a), phonetic(b)
    if ka == kb:
        return 0.95, "sounds alike"
    spelled = jaro_winkler(a, b) if _may_reach(a, b) else 0.0
    sounded = jaro_winkler(ka, kb) * 0.95 if len(ka) > 1 and len(kb) > 1 and _may_reach(ka, kb) else 0.0
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


def _score_tokens(q: tuple[str, ...], c: tuple[str, ...]) -> NameScore:
    pairs = []
    for i, a in enumerate(q):
        for j, b in enumerate(c):
            sim, why = token_similarity(a, b)
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


def name_score(a: str | tuple[str, ...], b: str | tuple[str, ...]) -> NameScore:
    """Compare two names token-wise (order-insensitive, initials, middle names, joins, typos); 0–1 with an explanation."""
    qa = normalise(a) if isinstance(a, str) else tuple(a)
    qb = normalise(b) if isinstance(b, str) else tuple(b)
    score, explanation = _name_score(qa, qb)
    return NameScore(score, list(explanation))


@lru_cache(maxsize=200_000)
def _name_score(qa: tuple[str, ...], qb: tuple[str, ...]) -> tuple[float, tuple[str, ...]]:
    if not qa or not qb:
        return 0.0, ("empty name",)
    best = _score_tokens(qa, qb)
    if best.score >= 0.95 or len(qa) == len(qb):
        return best.score, tuple(best.explanation)
    # one side has more parts: perhaps two of them are one part of the other written apart (Raj Kumar ↔ Rajkumar)
    longer_is_a = len(qa) > len(qb)
    for joined in _joined_variants(qa if longer_is_a else qb)[1:]:
        va, vb = (joined, qb) if longer_is_a else (qa, joined)
        result = _score_tokens(va, vb)
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


@lru_cache(maxsize=200_000)
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


@lru_cache(maxsize=200_000)
def first_last_codes(tokens: tuple[str, ...]) -> tuple[str, ...]:
    codes = [phonetic(t) for t in tokens[:MAX_TOKENS] if len(t) > 1]
    return tuple(dict.fromkeys(codes[:1] + codes[-1:]))


@lru_cache(maxsize=200_000)
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
