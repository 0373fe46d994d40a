"""Clearly fake persons with realistic Indian names, and spelling variants of them, for benchmarks and tests.

Every generated person has source "synthetic"; the variant kinds are those police meet in practice.
"""

import random

from directory.models import State

# (Latin, Devanagari)
MALE = [
    ("Rajesh", "राजेश"), ("Ramesh", "रमेश"), ("Suresh", "सुरेश"), ("Mahesh", "महेश"), ("Dinesh", "दिनेश"), ("Rakesh", "राकेश"),
    ("Mukesh", "मुकेश"), ("Virender", "वीरेंद्र"), ("Surender", "सुरेंद्र"), ("Narender", "नरेंद्र"), ("Vijay", "विजय"),
    ("Sanjay", "संजय"), ("Ajay", "अजय"), ("Manoj", "मनोज"), ("Anil", "अनिल"), ("Sunil", "सुनील"), ("Vinod", "विनोद"),
    ("Pramod", "प्रमोद"), ("Ashok", "अशोक"), ("Deepak", "दीपक"), ("Satish", "सतीश"), ("Harish", "हरीश"), ("Girish", "गिरीश"),
    ("Mohan", "मोहन"), ("Sohan", "सोहन"), ("Shyam", "श्याम"), ("Ram", "राम"), ("Krishna", "कृष्ण"), ("Gopal", "गोपाल"),
    ("Prakash", "प्रकाश"), ("Subhash", "सुभाष"), ("Santosh", "संतोष"), ("Ashish", "आशीष"), ("Amit", "अमित"),
    ("Sumit", "सुमित"), ("Rohit", "रोहित"), ("Mohit", "मोहित"), ("Nitin", "नितिन"), ("Sachin", "सचिन"), ("Vikas", "विकास"),
    ("Akash", "आकाश"), ("Pankaj", "पंकज"), ("Neeraj", "नीरज"), ("Dheeraj", "धीरज"), ("Bhupender", "भूपेंद्र"),
    ("Jitender", "जितेंद्र"), ("Dharmender", "धर्मेंद्र"), ("Yogesh", "योगेश"), ("Umesh", "उमेश"), ("Ganesh", "गणेश"),
    ("Irfan", "इरफ़ान"), ("Imran", "इमरान"), ("Salman", "सलमान"), ("Arif", "आरिफ़"), ("Asif", "आसिफ़"), ("Javed", "जावेद"),
    ("Shahid", "शाहिद"), ("Wasim", "वसीम"), ("Zakir", "ज़ाकिर"), ("Farhan", "फ़रहान"), ("Rizwan", "रिज़वान"), ("Faisal", "फ़ैसल"),
    ("Harpreet", "हरप्रीत"), ("Gurpreet", "गुरप्रीत"), ("Jaspreet", "जसप्रीत"), ("Manpreet", "मनप्रीत"), ("Baljeet", "बलजीत"),
    ("Paramjit", "परमजीत"), ("Sukhwinder", "सुखविंदर"), ("Balwinder", "बलविंदर"), ("Kuldeep", "कुलदीप"), ("Pradeep", "प्रदीप"),
    ("Sandeep", "संदीप"), ("Dilip", "दिलीप"), ("Bharat", "भरत"), ("Lalit", "ललित"), ("Tarun", "तरुण"), ("Varun", "वरुण"),
    ("Arjun", "अर्जुन"), ("Vivek", "विवेक"), ("Abhishek", "अभिषेक"), ("Siddharth", "सिद्धार्थ"), ("Chandan", "चंदन"),
    ("Kishore", "किशोर"), ("Kamal", "कमल"), ("Jagdish", "जगदीश"), ("Devender", "देवेंद्र"), ("Raghav", "राघव"),
    ("Shankar", "शंकर"), ("Shambhu", "शंभु"), ("Bhola", "भोला"), ("Raju", "राजू"), ("Pappu", "पप्पू"), ("Babloo", "बबलू"),
]  # fmt: skip
FEMALE = [
    ("Lakshmi", "लक्ष्मी"), ("Sunita", "सुनीता"), ("Anita", "अनीता"), ("Kavita", "कविता"), ("Savita", "सविता"), ("Geeta", "गीता"),
    ("Seema", "सीमा"), ("Reema", "रीमा"), ("Pooja", "पूजा"), ("Priya", "प्रिया"), ("Neha", "नेहा"), ("Sneha", "स्नेहा"),
    ("Anjali", "अंजलि"), ("Kiran", "किरण"), ("Rekha", "रेखा"), ("Asha", "आशा"), ("Usha", "उषा"), ("Nisha", "निशा"),
    ("Manju", "मंजू"), ("Sarita", "सरिता"), ("Mamta", "ममता"), ("Shabnam", "शबनम"), ("Nazia", "नाज़िया"), ("Farzana", "फ़रज़ाना"),
    ("Rukhsar", "रुख़सार"), ("Ayesha", "आयशा"), ("Harjeet", "हरजीत"), ("Jasleen", "जसलीन"), ("Simran", "सिमरन"),
    ("Kamla", "कमला"), ("Shanti", "शांति"), ("Pushpa", "पुष्पा"), ("Suman", "सुमन"), ("Radha", "राधा"), ("Meena", "मीना"),
    ("Bhavna", "भावना"), ("Jyoti", "ज्योति"), ("Preeti", "प्रीति"), ("Vandana", "वंदना"), ("Shweta", "श्वेता"),
]  # fmt: skip
MIDDLE = [("Kumar", "कुमार"), ("Prasad", "प्रसाद"), ("Lal", "लाल"), ("Chand", "चंद"), ("Nath", "नाथ"), ("Pal", "पाल"), ("Dutt", "दत्त")]
SURNAMES = [
    ("Sharma", "शर्मा"), ("Verma", "वर्मा"), ("Gupta", "गुप्ता"), ("Singh", "सिंह"), ("Yadav", "यादव"), ("Chauhan", "चौहान"),
    ("Kumar", "कुमार"), ("Mishra", "मिश्रा"), ("Tiwari", "तिवारी"), ("Pandey", "पांडे"), ("Dubey", "दुबे"), ("Shukla", "शुक्ला"),
    ("Srivastava", "श्रीवास्तव"), ("Saxena", "सक्सेना"), ("Agarwal", "अग्रवाल"), ("Jain", "जैन"), ("Bansal", "बंसल"),
    ("Goyal", "गोयल"), ("Mittal", "मित्तल"), ("Chaudhary", "चौधरी"), ("Thakur", "ठाकुर"), ("Rathore", "राठौर"),
    ("Bhardwaj", "भारद्वाज"), ("Malhotra", "मल्होत्रा"), ("Khanna", "खन्ना"), ("Kapoor", "कपूर"), ("Mehta", "मेहता"),
    ("Joshi", "जोशी"), ("Patel", "पटेल"), ("Shah", "शाह"), ("Desai", "देसाई"), ("Kulkarni", "कुलकर्णी"), ("Patil", "पाटिल"),
    ("Jadhav", "जाधव"), ("Pawar", "पवार"), ("Shinde", "शिंदे"), ("Deshmukh", "देशमुख"), ("Naidu", "नायडू"), ("Reddy", "रेड्डी"),
    ("Rao", "राव"), ("Nair", "नायर"), ("Menon", "मेनन"), ("Pillai", "पिल्लै"), ("Iyer", "अय्यर"), ("Das", "दास"),
    ("Ghosh", "घोष"), ("Bose", "बोस"), ("Banerjee", "बनर्जी"), ("Mukherjee", "मुखर्जी"), ("Chatterjee", "चटर्जी"),
    ("Qureshi", "क़ुरैशी"), ("Khan", "ख़ान"), ("Ansari", "अंसारी"), ("Siddiqui", "सिद्दीक़ी"), ("Shaikh", "शेख़"),
    ("Pathan", "पठान"), ("Mirza", "मिर्ज़ा"), ("Rizvi", "रिज़वी"), ("Gill", "गिल"), ("Sandhu", "संधू"), ("Dhillon", "ढिल्लों"),
    ("Grewal", "ग्रेवाल"), ("Sidhu", "सिद्धू"), ("Bhatia", "भाटिया"), ("Arora", "अरोड़ा"), ("Chopra", "चोपड़ा"),
    ("Tyagi", "त्यागी"), ("Rawat", "रावत"), ("Negi", "नेगी"), ("Bisht", "बिष्ट"), ("Meena", "मीणा"), ("Gurjar", "गुर्जर"),
    ("Jat", "जाट"), ("Saini", "सैनी"), ("Kashyap", "कश्यप"), ("Nishad", "निषाद"), ("Paswan", "पासवान"), ("Manjhi", "मांझी"),
]  # fmt: skip
MUSLIM_FIRST = {"Irfan", "Imran", "Salman", "Arif", "Asif", "Javed", "Shahid", "Wasim", "Zakir", "Farhan", "Rizwan", "Faisal"}
STATES = ["Delhi", "Uttar Pradesh", "Maharashtra", "Bihar", "Rajasthan", "Punjab", "Haryana", "Karnataka", "West Bengal", "Gujarat"]
KINDS = ["transliteration", "v_b", "th_t", "sh_s", "doubled", "word_order", "dropped_middle", "initials", "typo", "devanagari"]
DEVANAGARI = dict(MALE + FEMALE + MIDDLE + SURNAMES + [("Mohammad", "मोहम्मद")])


def states_missing() -> list[str]:
    """The states synthetic persons live in that the directory lacks (the reference data not loaded): an import would
    reject every person of them."""
    have = set(State.objects.filter(name__in=STATES).values_list("name", flat=True))
    return [state for state in STATES if state not in have]


def person(rng: random.Random, n: int) -> dict:
    """One fake person: first, often a middle name, surname, father's name, sex, date of birth, state."""
    female = rng.random() < 0.35
    first = rng.choice(FEMALE if female else MALE)[0]
    surname = rng.choice(SURNAMES)[0]
    parts = [first]
    if first in MUSLIM_FIRST and rng.random() < 0.5:
        parts.insert(0, "Mohammad")
    elif rng.random() < 0.45:
        parts.append(rng.choice(MIDDLE)[0])
    parts.append(surname)
    father = f"{rng.choice(MALE)[0]} {surname}"
    year = rng.randint(1950, 2006)
    return {
        "external_id": f"SYN-{n:09d}",
        "source": "synthetic",
        "name": " ".join(parts),
        "father_name": father,
        "sex": "F" if female else "M",
        "dob": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.7 else str(year),
        "state": rng.choice(STATES),
        "roles": [rng.choice(["accused", "arrested", "wanted", "missing", "convicted"])],
    }


SPELLINGS = [
    ("ee", "i"), ("i", "ee"), ("oo", "u"), ("u", "oo"), ("sh", "s"), ("ks", "x"), ("x", "ks"), ("ph", "f"), ("f", "ph"),
    ("q", "k"), ("z", "j"), ("w", "v"), ("v", "w"), ("aa", "a"), ("ay", "ai"), ("i", "y"), ("ey", "e"),
]  # fmt: skip


def _replace_one(rng: random.Random, tokens: list[str], pairs: list[tuple[str, str]]) -> list[str] | None:
    options = [(i, old, new) for i, t in enumerate(tokens) for old, new in pairs if old in t.lower()[1:] or t.lower().startswith(old)]
    if not options:
        return None
    i, old, new = rng.choice(options)
    out = list(tokens)
    out[i] = out[i].lower().replace(old, new, 1).capitalize()
    return out


def variant(rng: random.Random, name: str, kind: str) -> str | None:
    """A spelling of `name` of the given kind, or None when the name does not lend itself to it."""
    tokens = name.split()
    if kind == "transliteration":
        alt = {"Mohammad": "Md.", "Qureshi": "Kureshi", "Lakshmi": "Laxmi", "Chaudhary": "Choudhry", "Shaikh": "Sheikh",
               "Siddiqui": "Siddiki", "Srivastava": "Shrivastav", "Agarwal": "Aggarwal", "Pandey": "Pande", "Khan": "Kahn"}  # fmt: skip
        swapped = [alt.get(t, t) for t in tokens]
        if swapped != tokens:
            return " ".join(swapped)
        out = _replace_one(rng, tokens, SPELLINGS)
        return " ".join(out) if out else None
    if kind == "v_b":
        out = _replace_one(rng, tokens, [("v", "b"), ("b", "v"), ("w", "b"), ("w", "v")])
    elif kind == "th_t":
        out = _replace_one(rng, tokens, [("th", "t"), ("dh", "d"), ("t", "th"), ("d", "dh"), ("kh", "k"), ("bh", "b")])
    elif kind == "sh_s":
        out = _replace_one(rng, tokens, [("sh", "s"), ("s", "sh"), ("ch", "chh")])
    elif kind == "doubled":
        doubled = [(c + c, c) for c in "bcdfghjklmnprstvz"] + [(c, c + c) for c in "lnrtsmp"]
        out = _replace_one(rng, tokens, doubled)
    elif kind == "word_order":
        out = tokens[-1:] + tokens[:-1] if len(tokens) > 1 else None
    elif kind == "dropped_middle":
        out = [tokens[0], tokens[-1]] if len(tokens) == 3 else None
    elif kind == "initials":
        out = [t[0] + "." for t in tokens[:-1]] + tokens[-1:] if len(tokens) >= 2 else None
    elif kind == "typo":
        i = max(range(len(tokens)), key=lambda k: len(tokens[k]))
        token = tokens[i]
        if len(token) < 5:
            return None
        pos = rng.randint(2, len(token) - 2)
        edit = rng.choice(["swap", "drop", "sub"])
        if edit == "swap":
            token = token[:pos] + token[pos + 1] + token[pos] + token[pos + 2 :]
        elif edit == "drop":
            token = token[:pos] + token[pos + 1 :]
        else:
            token = token[:pos] + rng.choice("aeioulnrst") + token[pos + 1 :]
        out = tokens[:i] + [token] + tokens[i + 1 :]
    elif kind == "devanagari":
        if not all(t in DEVANAGARI for t in tokens):
            return None
        return " ".join(DEVANAGARI[t] for t in tokens)
    else:
        raise ValueError(kind)
    if not out or out == tokens:
        return None
    return " ".join(out)
