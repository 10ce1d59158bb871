"""The maps' languages: English, Russian and Kazakh. Every string of the maps' interface (controls,
legend, layer names, popup headings, figures) in the three, and an entry's name in each (its
``names`` in the catalog, else the English name: `corridors check` lists what lacks one).
Catalog descriptions stay in English. Translations are the project's own.
"""

from __future__ import annotations

import functools
import gettext

LANGUAGES = ("en", "ru", "kk")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}

# English -> (Russian, Kazakh). {name} and the like are filled in after translation.
TEXT: dict[str, tuple[str, str]] = {
    # controls and messages (map.js)
    "Countries, rivers and lakes (offline basemap)": ("Страны, реки и озёра (встроенная подложка)",
                                                      "Елдер, өзендер мен көлдер (кіріктірілген негіз)"),
    "Hub labels": ("Подписи узлов", "Тораптар атаулары"),
    "Find a hub, route or corridor": ("Найти узел, маршрут или коридор", "Торапты, бағытты не дәлізді табу"),
    "Find a hub, route or corridor by name or alias": ("Поиск узла, маршрута или коридора по названию",
                                                       "Торапты, бағытты не дәлізді атауы бойынша іздеу"),
    "No hub, route or corridor named “{q}” on this map": ("На этой карте нет узла, маршрута или коридора «{q}»",
                                                          "Бұл картада «{q}» деген торап, бағыт не дәліз жоқ"),
    "Online map tiles cannot be reached: the built-in basemap is shown.": (
        "Онлайн-подложка недоступна: показана встроенная.", "Желідегі карта қолжетімсіз: кіріктірілген негіз көрсетілді."),
    "Year shown": ("Год на карте", "Картадағы жыл"),
    "Year shown: statuses from the catalog's dates": ("Год на карте: статусы по датам каталога",
                                                      "Картадағы жыл: мәртебелер каталог күндері бойынша"),
    "now": ("сейчас", "қазір"),
    "past": ("прошлое", "өткен"),
    "expected": ("ожидается", "күтілуде"),
    "“#year={asked}” is not a year from {first} to {last}: showing {year}.": (
        "«#year={asked}» — не год от {first} до {last}: показан {year}.",
        "«#year={asked}» — {first}–{last} аралығындағы жыл емес: {year} көрсетілді."),
    "“#lang={asked}” is not a language of these maps (en, ru, kk): showing English.": (
        "«#lang={asked}» — не язык этих карт (en, ru, kk): показан английский.",
        "«#lang={asked}» — бұл карталардың тілі емес (en, ru, kk): ағылшын тілі көрсетілді."),
    "Language": ("Язык", "Тіл"),
    "Layers": ("Слои", "Қабаттар"),
    "A JavaScript library for interactive maps": ("Библиотека JavaScript для интерактивных карт",
                                                  "Интерактивті карталарға арналған JavaScript кітапханасы"),
    "In {year} the catalog has no date for: {names}. They are drawn faint.": (
        "В {year} году в каталоге нет даты для: {names}. Они показаны бледно.",
        "{year} жылы каталогта мына нысандардың күні жоқ: {names}. Олар бозғылт көрсетілген."),
    "No hub, route or corridor named “{q}” on this map. Did you mean:": (
        "На этой карте нет узла, маршрута или коридора «{q}». Возможно, вы искали:",
        "Бұл картада «{q}» деген торап, бағыт не дәліз жоқ. Мүмкін, іздегеніңіз:"),
    # the shell's controls (tile layers, zoom, full screen) and the countries named on the maps
    "Light grey (online)": ("Светло-серая (онлайн)", "Ашық сұр (желіде)"),
    "OpenStreetMap (online)": ("OpenStreetMap (онлайн)", "OpenStreetMap (желіде)"),
    "Satellite imagery (online)": ("Спутниковые снимки (онлайн)", "Жерсерік суреттері (желіде)"),
    "OpenRailwayMap (online overlay)": ("OpenRailwayMap (онлайн-слой)", "OpenRailwayMap (желідегі қабат)"),
    "Zoom in": ("Приблизить", "Жақындату"),
    "Zoom out": ("Отдалить", "Алыстату"),
    "Full Screen": ("Во весь экран", "Толық экран"),
    "Exit Full Screen": ("Выйти из полноэкранного режима", "Толық экраннан шығу"),
    "km": ("км", "км"),
    "at sea": ("в море", "теңізде"),
    "m": ("м", "м"),
    "Kazakhstan": ("Казахстан", "Қазақстан"),
    "China": ("Китай", "Қытай"),
    "Russia": ("Россия", "Ресей"),
    "Uzbekistan": ("Узбекистан", "Өзбекстан"),
    "Turkmenistan": ("Туркменистан", "Түрікменстан"),
    "Kyrgyzstan": ("Киргизия", "Қырғызстан"),
    "Tajikistan": ("Таджикистан", "Тәжікстан"),
    "Azerbaijan": ("Азербайджан", "Әзербайжан"),
    "Georgia": ("Грузия", "Грузия"),
    "Armenia": ("Армения", "Армения"),
    "Turkey": ("Турция", "Түркия"),
    "Iran": ("Иран", "Иран"),
    "Afghanistan": ("Афганистан", "Ауғанстан"),
    "Mongolia": ("Монголия", "Моңғолия"),
    "Romania": ("Румыния", "Румыния"),
    "Bulgaria": ("Болгария", "Болгария"),
    "Ukraine": ("Украина", "Украина"),
    "Pakistan": ("Пакистан", "Пәкістан"),
    "India": ("Индия", "Үндістан"),
    # the title panel and legend (mapping.py)
    "Central Asian transport corridors": ("Транспортные коридоры Центральной Азии", "Орталық Азияның көлік дәліздері"),
    "Basemap: Natural Earth (public domain), rivers and lakes GSHHG (LGPL)": (
        "Подложка: Natural Earth (общественное достояние), реки и озёра GSHHG (LGPL)",
        "Негіз: Natural Earth (қоғамдық игілік), өзендер мен көлдер GSHHG (LGPL)"),
    "places: GeoNames (CC BY 4.0)": ("места: GeoNames (CC BY 4.0)", "орындар: GeoNames (CC BY 4.0)"),
    "as of": ("на", "дерек күні:"),
    "Legend": ("Условные обозначения", "Шартты белгілер"),
    "Routes by mode": ("Маршруты по виду транспорта", "Көлік түрі бойынша бағыттар"),
    "Routes by status": ("Маршруты по статусу", "Мәртебесі бойынша бағыттар"),
    "Hubs by kind": ("Узлы по типу", "Түрі бойынша тораптар"),
    "Faded lines and points: neighbours shown for context.": ("Бледные линии и точки — соседние объекты для контекста.",
                                                               "Бозғылт сызықтар мен нүктелер — контекст үшін көршілес нысандар."),
    "Labels that would overlap are hidden; zoom in to see more.": ("Перекрывающиеся подписи скрыты; приблизьте карту.",
                                                                   "Қабаттасатын атаулар жасырылған; картаны үлкейтіңіз."),
    "Overview": ("Обзор", "Шолу"),
    "Corridors": ("Коридоры", "Дәліздер"),
    "Projects": ("Проекты", "Жобалар"),
    "All corridors": ("Все коридоры", "Барлық дәліздер"),
    "Corridor: {name}": ("Коридор: {name}", "Дәліз: {name}"),
    "Corridor branches: {name}": ("Ответвления коридора: {name}", "Дәліз тармақтары: {name}"),
    "Projects: {name}": ("Проекты: {name}", "Жобалар: {name}"),
    "Other routes": ("Другие маршруты", "Басқа бағыттар"),
    "Hubs: {name}": ("Узлы: {name}", "Тораптар: {name}"),
    "Context: {name}": ("Контекст: {name}", "Контекст: {name}"),
    "rail and road network © OpenStreetMap contributors (ODbL), via scgraph-data": (
        "железные и автомобильные дороги © участники OpenStreetMap (ODbL), через scgraph-data",
        "темір жол және автожол желісі © OpenStreetMap қатысушылары (ODbL), scgraph-data арқылы"),
    "Railways (OpenStreetMap)": ("Железные дороги (OpenStreetMap)", "Темір жолдар (OpenStreetMap)"),
    "Main roads (OpenStreetMap)": ("Основные автодороги (OpenStreetMap)", "Негізгі автожолдар (OpenStreetMap)"),
    "Path: legs in order": ("Путь: участки по порядку", "Жол: бөліктер ретімен"),
    # the style table
    "Rail (white cross-ties)": ("Железная дорога (белые шпалы)", "Темір жол (ақ шпалдар)"),
    "Road (white centre line)": ("Автодорога (белая осевая)", "Автожол (ақ осьтік сызық)"),
    "Sea crossing (thin line)": ("Морская переправа (тонкая линия)", "Теңіз өткелі (жіңішке сызық)"),
    "Operational": ("Действует", "Жұмыс істейді"),
    "Upgrading": ("Модернизация", "Жаңғыртылуда"),
    "Under construction": ("Строится", "Салынуда"),
    "Planned": ("Планируется", "Жоспарланған"),
    "Proposed": ("Предложен", "Ұсынылған"),
    "Expected by then (a future year)": ("Ожидается к этому году (будущий год)", "Осы жылға күтіледі (болашақ жыл)"),
    "Date unknown in the year shown": ("Дата в этом году неизвестна", "Осы жылғы күні белгісіз"),
    "Schematic: course approximate, only a few points known": (
        "Схематично: ход линии приблизителен, известны лишь несколько точек",
        "Сұлба: бағыты шамамен, бірнеше нүкте ғана белгілі"),
    "Group of hubs too close to draw apart: click to open": ("Группа близких узлов: нажмите, чтобы раскрыть",
                                                             "Жақын тораптар тобы: ашу үшін басыңыз"),
    "Leader to a hub's true place (an opened group)": ("Выноска к точному месту узла (раскрытая группа)",
                                                       "Тораптың нақты орнына сілтеме сызық (ашылған топ)"),
    "Background": ("Фон", "Негіз"),
    "Borders and coasts": ("Границы и берега", "Шекаралар мен жағалаулар"),
    "Rivers": ("Реки", "Өзендер"),
    "Seas and lakes": ("Моря и озёра", "Теңіздер мен көлдер"),
    "Seaport": ("Морской порт", "Теңіз порты"),
    "Border crossing": ("Пограничный переход", "Шекара өткелі"),
    "Dry port": ("Сухой порт", "Құрғақ порт"),
    "Logistics centre": ("Логистический центр", "Логистикалық орталық"),
    "Rail junction": ("Железнодорожный узел", "Темір жол торабы"),
    "Rail station": ("Железнодорожная станция", "Темір жол бекеті"),
    "City": ("Город", "Қала"),
    # popup headings (popups.py)
    "Also known as": ("Другие названия", "Басқа атаулары"),
    "Mode": ("Вид транспорта", "Көлік түрі"),
    "Rail": ("Железная дорога", "Темір жол"),
    "Road": ("Автодорога", "Автожол"),
    "Sea": ("Море", "Теңіз"),
    "Status": ("Статус", "Мәртебе"),
    "Length (computed)": ("Длина (расчётная)", "Ұзындығы (есептелген)"),
    "Length (official)": ("Длина (официальная)", "Ұзындығы (ресми)"),
    "Length note": ("О длине", "Ұзындық туралы"),
    "Length by country": ("Длина по странам", "Елдер бойынша ұзындығы"),
    "Via": ("Через", "Арқылы"),
    "Alignment": ("Трасса", "Трасса"),
    "Construction started": ("Начало строительства", "Құрылыстың басталуы"),
    "Opened": ("Открыт", "Ашылды"),
    "Expected completion": ("Ожидаемое завершение", "Күтілетін аяқталуы"),
    "Figures": ("Показатели", "Көрсеткіштер"),
    "Map": ("Карта", "Карта"),
    "Open the map of this project": ("Открыть карту проекта", "Жоба картасын ашу"),
    "Kind": ("Тип", "Түрі"),
    "Country": ("Страна", "Ел"),
    "Agreements": ("Соглашения", "Келісімдер"),
    "Routes here": ("Маршруты через узел", "Осы арқылы өтетін бағыттар"),
    "Location": ("Местоположение", "Орналасуы"),
    "Sources": ("Источники", "Дереккөздер"),
    "{corridors} corridors, {routes} routes and {hubs} hubs from the corridor-mapper catalog; statuses as of {date} at "
    "the latest. Lengths are geodesic on the WGS84 ellipsoid. Click a line or point for details and sources.": (
        "{corridors} коридора, {routes} маршрута и {hubs} узла из каталога corridor-mapper; статусы на {date} и ранее. "
        "Длины геодезические, на эллипсоиде WGS84. Нажмите на линию или точку, чтобы увидеть подробности и источники.",
        "corridor-mapper каталогынан {corridors} дәліз, {routes} бағыт және {hubs} торап; мәртебелер {date} күнге дейін. "
        "Ұзындықтар WGS84 эллипсоиді бойынша геодезиялық. Толығырақ пен дереккөздер үшін сызықты не нүктені басыңыз."),
    " Main line: {legs} legs, {length}; {branches} branches.": (
        " Основная линия: участков — {legs}, {length}; ответвлений — {branches}.",
        " Негізгі желі: {legs} бөлік, {length}; {branches} тармақ."),
    "{length} computed": ("{length} по расчёту", "{length} есептелген"),
    " ({length} official)": (" ({length} официально)", " ({length} ресми)"),
    " Status: {status} as of {date}": (" Статус: {status} на {date}", " Мәртебесі: {date} күнгі жағдай бойынша {status}"),
    "In service at least since": ("Действует как минимум с", "Кемінде осы уақыттан жұмыс істейді"),
    "{length}, geodesic on the WGS84 ellipsoid": ("{length}, геодезическая длина на эллипсоиде WGS84",
                                                  "{length}, WGS84 эллипсоиді бойынша геодезиялық ұзындық"),
    "approx. {length}, along a schematic line": ("ок. {length}, по схематичной линии", "шамамен {length}, сұлбалық сызық бойынша"),
    "Why the lengths differ": ("Почему длины расходятся", "Ұзындықтар неге сәйкес емес"),
    "a schematic line: only a few points of its course are known": (
        "схематичная линия: известны лишь несколько точек её хода", "сұлбалық сызық: бағытының бірнеше нүктесі ғана белгілі"),
    "{km} of the line ({pct} %) are straight steps of {step} km or more, which cut the bends": (
        "{km} линии ({pct} %) — прямые отрезки от {step} км, срезающие изгибы",
        "сызықтың {km} ({pct} %) — {step} км және одан ұзын түзу кесінділер, иілістерді қиып өтеді"),
    "see the length note": ("см. примечание о длине", "ұзындық туралы ескертпені қараңыз"),
    "{length}, sum of the main legs": ("{length}, сумма основных участков", "{length}, негізгі бөліктердің қосындысы"),
    "; it counts {spans} only, drawn {length}": ("; учитывает только {spans}, на карте {length}",
                                                 "; тек {spans} есептеледі, картада {length}"),
    "; the drawn line differs by {pct} %": ("; линия на карте отличается на {pct} %", "; картадағы сызық {pct} %-ға өзгеше"),
    ", leg {n} of {total}": (", участок {n} из {total}", ", {total} бөліктің {n}-сі"),
    ", branch": (", ответвление", ", тармақ"),
    "GeoNames record": ("Запись GeoNames", "GeoNames жазбасы"),
    "the port record of UN/LOCODE {code} in the searoute package": (
        "запись порта UN/LOCODE {code} в пакете searoute", "searoute пакетіндегі UN/LOCODE {code} порт жазбасы"),
    "given by the source {title} ({outlet})": ("по источнику: {title} ({outlet})", "дереккөз бойынша: {title} ({outlet})"),
    "derived: {how}": ("выведено: {how}", "шығарылған: {how}"),
    "on the OpenStreetMap rail or road network, along the shortest path through its waypoints": (
        "по железнодорожной или автодорожной сети OpenStreetMap, кратчайшим путём через промежуточные точки",
        "OpenStreetMap темір жол не автожол желісі бойынша, аралық нүктелер арқылы ең қысқа жолмен"),
    "drawn straight between the named stations, towns and crossings it passes (not on a mapped line)": (
        "прямыми между названными станциями, городами и переходами (не по картографированной линии)",
        "аталған бекеттер, қалалар мен өткелдер арасында түзу сызықпен (картаға түсірілген желі емес)"),
    "schematic: only the end points and a few towns are known, the line is indicative": (
        "схематично: известны только конечные точки и несколько городов, линия ориентировочная",
        "сұлба: тек соңғы нүктелер мен бірнеше қала белгілі, сызық шамамен"),
    "along the maritime network (searoute), in navigable water": (
        "по морской сети (searoute), по судоходным водам", "теңіз желісі (searoute) бойынша, кеме жүретін сулармен"),
    "link": ("ссылка", "сілтеме"),
    "Main legs": ("Основные участки", "Негізгі бөліктер"),
    "Branches": ("Ответвления", "Тармақтар"),
    # figures (figure.py)
    "Year shown: {year} ({when}) · statuses as of {as_of} · lengths geodesic (WGS84)": (
        "Год на карте: {year} ({when}) · статусы на {as_of} · длины геодезические (WGS84)",
        "Картадағы жыл: {year} ({when}) · мәртебелер {as_of} бойынша · ұзындықтар геодезиялық (WGS84)"),
    "past: from the catalog's dates": ("прошлое: по датам каталога", "өткен: каталог күндері бойынша"),
    "Equirectangular projection, true at the centre latitude. Made with corridor-mapper.": (
        "Равнопромежуточная проекция, без искажений на центральной широте. Сделано в corridor-mapper.",
        "Тең аралықты проекция, орталық ендікте бұрмаланусыз. corridor-mapper арқылы жасалды."),
}


SHELL_TEXT = ("Light grey (online)", "OpenStreetMap (online)", "Satellite imagery (online)", "OpenRailwayMap (online overlay)",
              "Zoom in", "Zoom out", "Full Screen", "Exit Full Screen", "km", "m")  # the shell's own controls


def runtime_text(script: str, headings: tuple[str, ...] = ()) -> dict[str, dict[str, str]]:
    """The strings the maps' runtime (``script``) translates in the browser, per language: those it
    names, the shell's controls and the popups' row ``headings``; the rest arrives built in each language."""
    used = [english for english in TEXT if english in SHELL_TEXT or english in headings or f'"{english}"' in script]
    return {lang: {english: TEXT[english][i] for english in used} for i, lang in enumerate(LANGUAGES[1:])}


def t(text: str, lang: str, **values: object) -> str:
    """``text`` in ``lang`` (English when it is en), with ``{name}`` fields filled in."""
    if lang != "en":
        if text not in TEXT:
            raise KeyError(f"no {lang} translation of {text!r}")
        text = TEXT[text][LANGUAGES.index(lang) - 1]
    return text.format(**values) if values else text


def name_in(entry: object, lang: str) -> str:
    """An entry's name in ``lang``: its ``names`` entry, else its English name."""
    return dict(getattr(entry, "names", ())).get(lang) or str(getattr(entry, "name"))


def label_in(entry: object, lang: str) -> str:
    """A hub's map label in ``lang``: its name there when it has one, else its English label."""
    names = dict(getattr(entry, "names", ()))
    return names.get(lang) if lang != "en" and names.get(lang) else getattr(entry, "short_name")  # type: ignore[return-value]


@functools.cache
def _iso_names(lang: str) -> gettext.NullTranslations:
    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_in(code: str, english: str, lang: str) -> str:
    """A country's name in ``lang``: the project's own short form where it has one, else the ISO 3166
    name in that language from the pycountry package's translations, else the English name."""
    if lang == "en":
        return english
    if english in TEXT:
        return t(english, lang)
    import pycountry

    record = pycountry.countries.get(alpha_3=code)
    return _iso_names(lang).gettext(record.name) if record else english
