"""Believable, valid and unique personal identifiers for demo staff: names, mobiles, IDs.

Everything here is drawn from a caller's ``random.Random`` so that a seed gives the
same people every time. National ID numbers carry a real GB 11643 check digit and
the sex digit matches the name's gender, so the validation in ``ccops.core.identity``
accepts every one of them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ccops.core.identity import national_id_check_digit

# The hundred-odd most common surnames, most frequent first (weights fall with rank).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
    "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
FEMALE_CHARS = (
    "婷静丽敏燕娟霞芳颖雪琳洁慧晶倩璐萍红玲艳欣悦佳怡梦雨思诗雅琪晓文嘉馨瑶蕾薇岚"
    "月莹洋春兰凤娜妍彤媛露佩珊琴菲楠"
)
MALE_CHARS = (
    "伟强磊军洋勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳亮志永峰建文博成兵晨海东昊翔瑞轩"
)

# Resident-ID region codes: mostly the home province (Jiangsu), some from neighbours.
HOME_REGIONS = (
    "320102",
    "320104",
    "320105",
    "320106",
    "320111",
    "320113",
    "320115",
    "320205",
    "320211",
    "320302",
    "320402",
    "320505",
    "320506",
    "320508",
    "320583",
    "320602",
    "320703",
    "320803",
    "320902",
    "321002",
    "321102",
    "321202",
    "321302",
)
OTHER_REGIONS = (
    "340104",
    "340302",
    "341302",
    "370102",
    "410105",
    "411302",
    "420106",
    "430104",
    "360102",
    "330106",
    "510107",
    "522601",
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
)

BIRTH_FROM = dt.date(1985, 1, 1)
BIRTH_TO = dt.date(2004, 12, 31)
ADULT_YEARS = 18


@dataclass(frozen=True)
class Identity:
    """A person's name and personal identifiers."""

    name: str
    female: bool
    birth_date: dt.date
    phone: str
    national_id: str


class IdentityFactory:
    """Draws identities that never repeat a mobile or an ID number within one build."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self._phones: set[str] = set()
        self._ids: set[str] = set()
        self._surname_weights = [1 / (rank + 4) for rank in range(len(SURNAMES))]

    def draw(
        self, *, hire_date: dt.date, female_share: float = 0.7, senior: bool = False
    ) -> Identity:
        """One person hired on `hire_date`; `senior` staff are born earlier."""
        female = self.rnd.random() < female_share
        birth = self.birth_date(hire_date, senior=senior)
        return Identity(
            name=self.name(female),
            female=female,
            birth_date=birth,
            phone=self.mobile(),
            national_id=self.national_id(birth, female),
        )

    def name(self, female: bool) -> str:
        """Surname plus a one- or two-character given name (two in three are two)."""
        surname = self.rnd.choices(SURNAMES, weights=self._surname_weights)[0]
        chars = FEMALE_CHARS if female else MALE_CHARS
        size = 2 if self.rnd.random() < 0.68 else 1
        return surname + "".join(self.rnd.choice(chars) for _ in range(size))

    def birth_date(self, hire_date: dt.date, *, senior: bool) -> dt.date:
        """Born 1985-2004 and at least 18 on the hire date; seniors in the earlier half."""
        adult_on = dt.date(hire_date.year - ADULT_YEARS, hire_date.month, min(hire_date.day, 28))
        latest = min(BIRTH_TO, adult_on)
        earliest = BIRTH_FROM
        if senior:
            latest = min(latest, dt.date(1994, 12, 31))
        span = max((latest - earliest).days, 0)
        return earliest + dt.timedelta(days=self.rnd.randint(0, span))

    def mobile(self) -> str:
        """An 11-digit mainland mobile number not yet handed out."""
        while True:
            number = self.rnd.choice(MOBILE_PREFIXES) + f"{self.rnd.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def national_id(self, birth: dt.date, female: bool) -> str:
        """Region + birth date + sequence (odd for men) + GB 11643 check digit; unique."""
        while True:
            regions = HOME_REGIONS if self.rnd.random() < 0.8 else OTHER_REGIONS
            sequence = self.rnd.randrange(0, 500) * 2 + (0 if female else 1)
            first17 = f"{self.rnd.choice(regions)}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + national_id_check_digit(first17)
            if number not in self._ids:
                self._ids.add(number)
                return number
