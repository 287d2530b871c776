"""Inputs of the club game on real data (Kikuchi & Liu, Section 4) from the staged public files.

For every year and every non-superpower the game needs a location on [0, 1] (the EIU
Democracy Index, most democratic at 0: footnote 25), its dependency g on each superpower
(trade with it as a share of its total trade) and its endowment (GDP). All three are
5-year trailing moving averages, as the paper says ("We take 5-year moving averages for
all exogenous variables"). The projection (Section 4.2) keeps the 2019 locations and
dependencies and takes GDP from the SSP2 projections.

The superpowers ("poles") are the US (a) and China (b), as in the paper; a third pole,
India or the European Union, gives the inputs of a K = 3 world (issue 11). A pole may be a
group of countries: the EU's GDP is its 27 members' sum and its home the GDP-weighted mean
of their locations; its members are not non-superpowers.

Every choice is documented in ``docs/us_china.md``; in short:

* Trade (``trade=``): ``"reporter"`` (default), each country's own IMF DOTS reports, the
  paper's construction: g_i,P = (exports of i to P, FOB + imports of i from P, CIF) /
  (exports + imports of i with the World), all from i's own workbook (``pipeline.dots``);
  values flagged as IMF estimates are kept or dropped (``estimates=``). ``"mirror"``: the
  US's and China's own reports of their trade with i over i's WDI merchandise trade
  (merchandise trade % of GDP x GDP); two poles only.
* Footnote 27, per year: where a country's total trade is known but no trade with a pole
  is reported that year (or the only values were dropped estimates), g = 0 for that year
  (and that zero enters the moving average); where one direction is reported and the other
  is not, the missing direction counts as 0. A window without any total trade gives g = 0
  for every pole. Every such zero is a line of ``Panel.gaps``.
* Moving average: the mean of the annual values available in [t-4, t]. The index starts in
  2006, so the 2006-2009 locations average 1-4 years; every missing annual value of a kept
  country is listed in ``Panel.gaps``.
* Locations: l_i = (max DI - DI_i) / (max DI - min DI) per year over that year's players
  (the kept non-superpowers and every member of every pole).
* Endowments: GDP in trillions of US$ (current US$ for the historical years; PPP US$ of the
  SSP model's base year for the projection). Only ratios of endowments enter the game.
* Sample: a balanced panel, as the paper's: a country is kept if it has a location and a
  GDP in every year of the run and its total trade in some year. Every country of the
  geography file that appears in any input is listed in ``Panel.countries`` with its status
  and, if left out, the reason.

Every input table is checked whole before any work (``games.schema``): a bad file raises
``DataFileError`` (a ``SpheresInputError``) naming the file, the line and what was expected.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from games.validation import SpheresInputError
from pipeline import dots as dots_
from games.schema import Column, DataFileError, Schema  # DataFileError: callers catch pipe.DataFileError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "raw"
DATA_ENV = "SPHERES_DATA"

US, CN, IND, EU = "USA", "CHN", "IND", "EU"
SUPERPOWERS = (US, CN)
"""The paper's two poles: the US (a, status quo) and China (b, challenger)."""
EU27 = ("AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN",
        "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE")
"""The EU's 27 members since 2020, the composition of DOTS's ``European Union`` row in every year."""
POLE_MEMBERS = {US: (US,), CN: (CN,), IND: (IND,), EU: EU27}
POLE_KEYS = {US: "us", CN: "cn", IND: "ind", EU: "eu"}
"""Column suffixes: g_us, g_cn, g_ind, g_eu."""
POLE_NAMES = {US: "the US", CN: "China", IND: "India", EU: "the EU"}
THIRD_POLES = (IND, EU)
TRADE_SOURCES = ("reporter", "mirror")
DEFAULT_TRADE = "reporter"
DEFAULT_ESTIMATES = "keep"
WINDOW = 5
"""Length of the trailing moving-average window in years (the paper's 5-year averages)."""
BASE_YEAR = 2019
"""The paper holds locations and dependencies at their 2019 values for the projection."""

# Files under the data directory (see docs/us_china.md for where each comes from).
FILES = {
    "democracy": "eiu_democracy_gapminder/ddf--datapoints--demox_eiu--by--country--time.csv",
    "geo": "eiu_democracy_gapminder/ddf--entities--geo--country.csv",
    "gdp": "wb_gdp_current_usd/gdp.csv",
    "merchandise": "wdi_merch_trade_pct_gdp_gapminder/"
    "ddf--datapoints--merchandise_trade_percent_of_gdp--by--geo--time.csv",
    "trade": "imf_imts_us_china_bilateral/raw_trade_data.csv",
    "dots": dots_.DOTS_DIR,
    "ssp_iiasa": "ssp_iiasa_gdp_v2/iiasa_GDP_SSP.csv",
    "ssp_oecd_v31": "ssp_v3_1_oecd/gdp_sspv31_withallextradata.csv",
}

# IMF partner codes that are not the ISO 3166 alpha-3 code of the same territory.
IMF_TO_ISO3 = {"WBG": "PSE", "KOS": "XKX"}
TRADE_INDICATORS = {"XG_FOB_USD": "exports", "MG_CIF_USD": "imports"}

SSP_MODELS = {
    "iiasa": "IIASA GDP model, SSP2_v9_130219 (SSP database v2, Riahi et al. 2017); billion US$2005 PPP",
    "oecd-v3.1": "OECD ENV-Growth 2023, SSP2, SSP database release 3.1 (2024); billion US$2017 PPP",
}
DEFAULT_SSP_MODEL = "iiasa"

# --------------------------------------------------------------------------- the schemas
_ISO3 = dict(kind="code", case="upper", pattern="[A-Z]{3}")
_GAPMINDER = dict(kind="code", case="lower", pattern="[a-z][a-z0-9_]*")
_YEAR = dict(kind="year", low=1900, high=2100)
SCHEMAS = {name: replace(schema, source="docs/us_china.md") for name, schema in {
    "geo": Schema("Gapminder geo entities (code -> ISO3)",
                  (Column("country", **_GAPMINDER), Column("iso3166_1_alpha3", **_ISO3, blank_ok=True), Column("name")),
                  keys=(("country",), ("iso3166_1_alpha3",))),
    "democracy": Schema("the EIU Democracy Index by country and year",
                        (Column("country", **_GAPMINDER), Column("time", **_YEAR),
                         Column("demox_eiu", "number", low=0, high=100)),
                        keys=(("country", "time"),)),
    "gdp": Schema("World Bank GDP (current US$)",
                  (Column("Country Name"), Column("Country Code", "code", case="upper", pattern="[A-Z0-9]{3}"),
                   Column("Year", **_YEAR), Column("Value", "number", low=0, low_open=True, blank_ok=True)),
                  keys=(("Country Code", "Year"),), final_newline=False),  # the data package writes no final newline
    "merchandise": Schema("WDI merchandise trade (% of GDP)",
                          (Column("geo", **_GAPMINDER), Column("time", **_YEAR),
                           Column("merchandise_trade_percent_of_gdp", "number", low=0, high=2000, low_open=True)),
                          keys=(("geo", "time"),)),
    "trade": Schema("IMF IMTS goods trade of the US and China by partner",
                    (Column("SERIES_CODE", "code", case="upper",
                            pattern=rf"({US}|{CN})\.({'|'.join(TRADE_INDICATORS)})\.[A-Z0-9_]+\.A",
                            expect=f"'<{US}|{CN}>.<{'|'.join(TRADE_INDICATORS)}>.<partner>.A'"),
                     Column("COUNTERPART_COUNTRY")),
                    keys=(("SERIES_CODE",),), years=Column("trade (millions of US$)", "number", low=0, blank_ok=True)),
    "ssp_iiasa": Schema("SSP GDP|PPP by country (IIASA)",
                        (Column("MODEL"), Column("SCENARIO"), Column("REGION", **_ISO3), Column("VARIABLE"),
                         Column("UNIT")),
                        keys=(("REGION",),),
                        years=Column("GDP|PPP (billion US$2005)", "number", low=0, low_open=True, blank_ok=True)),
    "ssp_oecd_v31": Schema("SSP v3.1 GDP|PPP by country",
                           (Column("scenario"), Column("variable"), Column("year", "year", low=1900, high=2200),
                            Column("value", "number", low=0, low_open=True), Column("iso", **_ISO3),
                            Column("data.version")),
                           keys=(("iso", "year"),)),
}.items()}
"""One schema per input table (the DOTS workbooks are checked cell by cell in ``pipeline.dots``)."""


# --------------------------------------------------------------------------- data directory
def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The data directory: ``data_dir`` if given, else ``$SPHERES_DATA``, else ``../shared/data/raw``."""
    chosen = data_dir or os.environ.get(DATA_ENV) or DEFAULT_DATA_DIR
    path = Path(chosen).expanduser()
    if not path.is_dir():
        raise DataFileError(
            f"data directory {path} does not exist (set it with --data-dir or ${DATA_ENV}; "
            f"it must hold the files listed in docs/us_china.md)"
        )
    return path


def source_label(trade: str, estimates: str) -> str:
    """'mirror', 'reporter (estimates kept)' or 'reporter (estimates dropped)'."""
    return "mirror" if trade == "mirror" else f"reporter (estimates {'kept' if estimates == 'keep' else 'dropped'})"


def check_choice(name: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise SpheresInputError(f"{name} = {value!r} must be one of: {', '.join(allowed)}")
    return value


# --------------------------------------------------------------------------- loaders
def load_geo(data_dir: Path) -> pd.DataFrame:
    """Gapminder geo codes -> ISO3 and names: columns code, iso3, name (iso3 may be empty)."""
    df = SCHEMAS["geo"].read(data_dir / FILES["geo"])
    return pd.DataFrame({"code": df["country"], "iso3": df["iso3166_1_alpha3"], "name": df["name"]})


def _map_codes(codes: pd.Series, geo: pd.DataFrame) -> pd.Series:
    return codes.map(dict(zip(geo["code"], geo["iso3"]))).fillna("")


def load_democracy(data_dir: Path, geo: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """EIU Democracy Index (Gapminder 0-100 scale): columns iso3, year, di; plus unmapped codes."""
    df = SCHEMAS["democracy"].read(data_dir / FILES["democracy"])
    iso = _map_codes(df["country"], geo)
    unmapped = sorted(set(df.loc[iso == "", "country"]))
    out = pd.DataFrame({"iso3": iso, "year": df["time"], "di": df["demox_eiu"]})
    return out[out["iso3"] != ""].reset_index(drop=True), unmapped


def load_gdp(data_dir: Path) -> pd.DataFrame:
    """World Bank GDP, current US$: columns iso3, year, gdp_usd (aggregates included; joined away later)."""
    df = SCHEMAS["gdp"].read(data_dir / FILES["gdp"])
    out = pd.DataFrame({"iso3": df["Country Code"], "year": df["Year"], "gdp_usd": df["Value"]})
    return out.dropna(subset=["gdp_usd"]).reset_index(drop=True)


def load_merchandise_share(data_dir: Path, geo: pd.DataFrame) -> pd.DataFrame:
    """WDI merchandise trade (% of GDP): columns iso3, year, merch_pct."""
    df = SCHEMAS["merchandise"].read(data_dir / FILES["merchandise"])
    out = pd.DataFrame({"iso3": _map_codes(df["geo"], geo), "year": df["time"],
                        "merch_pct": df["merchandise_trade_percent_of_gdp"]})
    return out[out["iso3"] != ""].reset_index(drop=True)


def load_mirror_trade(data_dir: Path) -> pd.DataFrame:
    """US and China goods trade with each partner (their own reports), US$.

    Columns iso3, year and one per flow: ``USA_exports``, ``USA_imports``, ``CHN_exports``,
    ``CHN_imports`` (NaN where the reporter lists nothing). Partner codes that are not
    countries (IMF aggregates such as G001 World) are dropped.
    """
    path = data_dir / FILES["trade"]
    df = SCHEMAS["trade"].read(path)
    parts = df["SERIES_CODE"].str.split(".")
    df = df.assign(reporter=parts.str[0], flow=parts.str[1].map(TRADE_INDICATORS),
                   partner=parts.str[2].replace(IMF_TO_ISO3))
    df = df[df["partner"].str.fullmatch(r"[A-Z]{3}")]
    year_cols = [c for c in df.columns if isinstance(c, int)]
    long = df.melt(id_vars=["reporter", "flow", "partner"], value_vars=year_cols, var_name="year", value_name="value")
    long["series"] = long["reporter"] + "_" + long["flow"]
    wide = long.pivot_table(index=["partner", "year"], columns="series", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=[f"{r}_{f}" for r in SUPERPOWERS for f in TRADE_INDICATORS.values()])
    wide = wide * 1e6  # millions of US$ -> US$
    wide.index.names = ["iso3", "year"]
    return wide.reset_index().rename_axis(columns=None)


def load_ssp_gdp(data_dir: Path, model: str = DEFAULT_SSP_MODEL, scenario: str = "SSP2") -> pd.DataFrame:
    """SSP GDP (PPP) projections: columns iso3, year, gdp_ppp_bn (billions)."""
    check_choice("ssp model", model, list(SSP_MODELS))
    if model == "iiasa":
        df = SCHEMAS["ssp_iiasa"].read(data_dir / FILES["ssp_iiasa"], rows={
            "MODEL": lambda s: s == "IIASA GDP", "SCENARIO": lambda s: s.str.startswith(f"{scenario}_"),
            "VARIABLE": lambda s: s == "GDP|PPP"})
        year_cols = [c for c in df.columns if isinstance(c, int)]
        long = df.melt(id_vars=["REGION"], value_vars=year_cols, var_name="year", value_name="gdp_ppp_bn")
        long = long.rename(columns={"REGION": "iso3"}).dropna(subset=["gdp_ppp_bn"])
    else:
        df = SCHEMAS["ssp_oecd_v31"].read(data_dir / FILES["ssp_oecd_v31"], rows={
            "scenario": lambda s: s == scenario, "variable": lambda s: s == "GDP|PPP",
            "data.version": lambda s: s == "OECD"})
        long = df.rename(columns={"iso": "iso3", "value": "gdp_ppp_bn"})[["iso3", "year", "gdp_ppp_bn"]]
    long["year"] = long["year"].astype(int)
    return long.reset_index(drop=True)


@dataclass(frozen=True)
class RawData:
    """The historical raw inputs, loaded and checked (long tables keyed by iso3, year).

    ``merchandise`` and ``mirror`` are loaded for ``trade="mirror"``, ``dots`` for
    ``trade="reporter"`` (``None`` otherwise).
    """

    names: dict[str, str]
    democracy: pd.DataFrame
    gdp: pd.DataFrame
    unmapped_democracy_codes: list[str]
    data_dir: Path
    countries: frozenset[str]
    merchandise: pd.DataFrame | None = None
    mirror: pd.DataFrame | None = None
    dots: dots_.Dots | None = None

    def source(self, trade: str):
        check_choice("trade", trade, TRADE_SOURCES)
        loaded = self.dots if trade == "reporter" else self.mirror
        if loaded is None:
            raise SpheresInputError(f"trade = {trade!r}: these data were loaded without it (load_raw(trade=...))")
        return loaded


def load_raw(data_dir: str | os.PathLike | None = None, trade: str | Iterable[str] = DEFAULT_TRADE) -> RawData:
    """Load and check every historical file the trade source(s) need (the SSP files: ``build_projection``)."""
    trades = [trade] if isinstance(trade, str) else list(trade)
    for t in trades:
        check_choice("trade", t, TRADE_SOURCES)
    root = resolve_data_dir(data_dir)
    geo = load_geo(root)
    democracy, unmapped = load_democracy(root, geo)
    gdp = load_gdp(root)
    extra = {}
    if "mirror" in trades:
        extra["merchandise"] = load_merchandise_share(root, geo)
        extra["mirror"] = load_mirror_trade(root)
    if "reporter" in trades:
        extra["dots"] = dots_.load_dots(root)
    present = set(democracy["iso3"]) | set(gdp["iso3"])
    if "mirror" in trades:
        present |= set(extra["merchandise"]["iso3"]) | set(extra["mirror"]["iso3"])
    if "reporter" in trades:
        present |= set(extra["dots"].books)
    return RawData(
        names={iso: name for iso, name in zip(geo["iso3"], geo["name"]) if iso},
        democracy=democracy, gdp=gdp, unmapped_democracy_codes=unmapped, data_dir=root,
        countries=frozenset(present & (set(geo["iso3"]) - {""})), **extra,
    )


# --------------------------------------------------------------------------- the panel
@dataclass(frozen=True)
class PoleWorld:
    """One year's game as plain arrays: K poles (superpowers, in move order) and N non-superpowers.

    g[k, i] is country i's dependency on poles[k]; homes[k] and pole_omega[k] are pole k's
    location and endowment. K = 2 with poles (USA, CHN) is the paper's game.
    """

    year: int
    poles: tuple[str, ...]
    names: tuple[str, ...]
    positions: np.ndarray
    g: np.ndarray
    omega: np.ndarray
    pole_omega: np.ndarray
    homes: np.ndarray


@dataclass(frozen=True)
class Panel:
    """Game inputs for a range of years, with a full account of who is in and why.

    inputs: one row per (year, kept non-superpower): iso3, name, year, di, location, gdp
        (trillions), one ``g_<pole>`` per pole (``g_us``, ``g_cn``, ...), and for each moving
        average the number of annual values it used (``n_di``, ``n_gdp``, ``n_g_us`` ...) and
        how many of those are footnote-27 zeros (``z_g_us`` ...).
    superpowers: one row per (year, pole): iso3 (the pole's code), year, di, location, gdp.
    countries: iso3, name, status ('kept', 'left out', 'superpower', 'pole member'), reason.
    counts: year, countries (the number of non-superpowers in that year's game).
    gaps: iso3, name, year, variable, issue, action (every missing annual value of a kept
        country inside its windows, every footnote-27 zero, one-way flow and cap).
    """

    inputs: pd.DataFrame
    superpowers: pd.DataFrame
    countries: pd.DataFrame
    counts: pd.DataFrame
    gaps: pd.DataFrame
    years: tuple[int, ...]
    gdp_unit: str = "trillion current US$"
    notes: tuple[str, ...] = field(default_factory=tuple)
    poles: tuple[str, ...] = SUPERPOWERS
    trade: str = DEFAULT_TRADE
    estimates: str = DEFAULT_ESTIMATES

    @property
    def source(self) -> str:
        """The trade source in words: 'mirror', 'reporter (estimates kept)' ..."""
        return source_label(self.trade, self.estimates)

    @property
    def g_columns(self) -> list[str]:
        return [f"g_{POLE_KEYS[p]}" for p in self.poles]

    def year(self, year: int) -> pd.DataFrame:
        frame = self.inputs[self.inputs["year"] == year]
        if frame.empty:
            raise SpheresInputError(f"year = {year} is not in this panel (years {self.years[0]}-{self.years[-1]})")
        return frame.sort_values("iso3").reset_index(drop=True)

    def superpower(self, year: int, iso3: str) -> pd.Series:
        row = self.superpowers[(self.superpowers["year"] == year) & (self.superpowers["iso3"] == iso3)]
        if row.empty:
            raise SpheresInputError(f"no {iso3} inputs for year {year}")
        return row.iloc[0]

    def world(self, year: int) -> PoleWorld:
        """The year's game as arrays (see :class:`PoleWorld`); countries in ISO3 order."""
        frame = self.year(year)
        poles = [self.superpower(year, p) for p in self.poles]
        return PoleWorld(
            year=year, poles=self.poles, names=tuple(frame["iso3"]),
            positions=frame["location"].to_numpy(), g=frame[self.g_columns].to_numpy().T.copy(),
            omega=frame["gdp"].to_numpy(), pole_omega=np.array([float(p["gdp"]) for p in poles]),
            homes=np.array([float(p["location"]) for p in poles]),
        )

    def mean_dependency(self) -> pd.DataFrame:
        """Mean g on each pole over the year's non-superpowers (the paper's Figure 9 captions)."""
        return self.inputs.groupby("year")[self.g_columns].mean().reset_index()

    def subset(self, years: Iterable[int]) -> Panel:
        """The same panel restricted to some of its years (same countries, same inputs)."""
        years = tuple(sorted(set(int(y) for y in years)))
        absent = [y for y in years if y not in self.years]
        if not years or absent:
            raise SpheresInputError(f"years {absent or '[]'} are not in this panel ({self.years[0]}-{self.years[-1]})")
        return replace(self, inputs=self.inputs[self.inputs["year"].isin(years)].reset_index(drop=True),
                       superpowers=self.superpowers[self.superpowers["year"].isin(years)].reset_index(drop=True),
                       counts=self.counts[self.counts["year"].isin(years)].reset_index(drop=True), years=years)

    def with_gdp_scale(self, iso3: str, factor: float) -> Panel:
        """A copy with one country's GDP multiplied by ``factor`` in every year (a counterfactual path)."""
        if not (np.isfinite(factor) and factor > 0):
            raise SpheresInputError(f"GDP scale factor = {factor!r} must be a finite number > 0")
        if iso3 not in set(self.inputs["iso3"]):
            raise SpheresInputError(f"country {iso3!r} is not a non-superpower of this panel")
        inputs = self.inputs.copy()
        inputs.loc[inputs["iso3"] == iso3, "gdp"] *= factor
        note = f"{iso3} GDP multiplied by {factor:g} in every year (counterfactual)"
        return replace(self, inputs=inputs, notes=self.notes + (note,))

    def reason(self, iso3: str) -> str:
        """Why a country is or is not a non-superpower of this panel (its row of ``countries``)."""
        row = self.countries[self.countries["iso3"] == iso3]
        if row.empty:
            return "not in any input file"
        status, why = row.iloc[0]["status"], row.iloc[0]["reason"]
        return status if status == "kept" else f"{status}: {why}"

    def summary(self) -> str:
        """A few lines on who is in, who is left out and why, and the data gaps (printed by the commands)."""
        status = self.countries["status"].value_counts()
        left = self.countries[self.countries["status"] == "left out"]
        first = left["reason"].str.split(";").str[0]
        lines = [f"{self.source}: {int(status.get('kept', 0))} non-superpowers kept, {len(left)} countries left out "
                 f"(reasons in *_countries.csv)"]
        for why, n in first.value_counts().items():
            names = ", ".join(left.loc[first == why, "iso3"].replace("", "?").head(8))
            lines.append(f"  left out, {why}: {names}{', ...' if n > 8 else ''}" + (f" ({n})" if n > 1 else ""))
        if not self.gaps.empty:
            kinds = self.gaps["action"].str.replace(r" whose window contains \d+", "", regex=True)
            lines.append(f"  data gaps ({len(self.gaps)} lines in *_data_gaps.csv):")
            for what, n in kinds.value_counts().items():
                lines.append(f"    {n:5d} x {what}")
        return "\n".join(lines)


def _wide(long: pd.DataFrame, value: str, isos: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    table = long.pivot_table(index="iso3", columns="year", values=value, aggfunc="first")
    return table.reindex(index=list(isos), columns=list(years))


def _moving(table: pd.DataFrame, window: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Trailing mean over the available annual values in [t-window+1, t] and how many there were."""
    mean = table.T.rolling(window, min_periods=1).mean().T
    count = table.notna().T.rolling(window, min_periods=1).sum().T.astype(int)
    return mean, count


def parse_years(text: str, *, step: int = 1, low: int = 1900, high: int = 2200) -> tuple[int, ...]:
    """'2006-2019' or '2019' or '2030-2100' (with ``step``) -> a tuple of years."""
    try:
        if "-" in text:
            a, b = (int(p) for p in text.split("-", 1))
        else:
            a = b = int(text)
    except ValueError as exc:
        raise SpheresInputError(f"years = {text!r}; expected FIRST-LAST such as 2006-2019") from exc
    if not (low <= a <= b <= high):
        raise SpheresInputError(f"years = {text!r}; expected FIRST <= LAST, both in [{low}, {high}]")
    if (b - a) % step:
        raise SpheresInputError(f"years = {text!r}; LAST - FIRST must be a multiple of {step}")
    return tuple(range(a, b + 1, step))


@dataclass(frozen=True)
class _Trade:
    """One trade source on the panel's grid: total trade, the flows with each pole, and how to word gaps."""

    total: pd.DataFrame
    flows: dict[str, tuple[pd.DataFrame, pd.DataFrame]]
    gaps: list[dict]

    @staticmethod
    def one_way(trade: str, pole: str, missing: str) -> str:
        verb = "exports to" if missing == "exports" else "imports from"
        return f"{pole} reports no {verb} this country" if trade == "mirror" else f"reports no {verb} {pole}"


def _mirror_trade(raw: RawData, poles: Sequence[str], universe: list[str], span: list[int]) -> _Trade:
    extra = [p for p in poles if p not in SUPERPOWERS]
    if extra:
        raise SpheresInputError(f"trade = 'mirror' holds only the US's and China's reports; pole(s) {extra} need "
                                "trade = 'reporter' (each country's own reports)")
    gdp = _wide(raw.gdp, "gdp_usd", universe, span)
    merch = _wide(raw.merchandise, "merch_pct", universe, span)
    flows = {p: tuple(_wide(raw.mirror, f"{p}_{f}", universe, span) for f in TRADE_INDICATORS.values()) for p in poles}
    return _Trade(merch / 100.0 * gdp, flows, [])


def _reporter_trade(raw: RawData, poles: Sequence[str], estimates: str, universe: list[str],
                    span: list[int]) -> _Trade:
    check_choice("estimates", estimates, dots_.ESTIMATES)
    members = {m: p for p in poles for m in POLE_MEMBERS[p]}
    table = raw.dots.flows(sorted(members), span, estimates)
    table["pole"] = table["partner"].map(members).fillna(table["partner"])
    grouped = table.groupby(["pole", "flow", "iso3", "year"])
    value = grouped["value"].sum(min_count=1)
    dropped = grouped["estimate"].any() if estimates == "drop" else None

    def wide(series: pd.Series, pole: str, flow: str) -> pd.DataFrame:
        try:
            part = series.loc[(pole, flow)]
        except KeyError:
            part = pd.Series(dtype=float, index=pd.MultiIndex.from_arrays([[], []], names=["iso3", "year"]))
        return part.unstack("year").reindex(index=universe, columns=span)

    world_x, world_m = wide(value, dots_.WORLD, "exports"), wide(value, dots_.WORLD, "imports")
    gaps = []
    half = world_x.isna() ^ world_m.isna()
    for i, t in zip(*np.nonzero(half.to_numpy())):
        missing = "exports" if pd.isna(world_x.iat[i, t]) else "imports"
        gaps.append(dict(iso3=universe[i], year=span[t], variable="total trade",
                         issue=f"its DOTS workbook has no World {missing} this year",
                         action="no total trade this year: left out of the moving averages"))
    flows = {p: (wide(value, p, "exports"), wide(value, p, "imports")) for p in poles}
    if dropped is not None:
        for p in poles:
            hit = wide(dropped.astype(float), p, "exports").fillna(0) + wide(dropped.astype(float), p, "imports").fillna(0)
            for i, t in zip(*np.nonzero(hit.to_numpy() > 0)):
                gaps.append(dict(iso3=universe[i], year=span[t], variable=f"trade_{p}",
                                 issue="value flagged as an IMF estimate", action="dropped (estimates = drop)"))
    return _Trade(world_x + world_m, flows, gaps)


def build_panel(raw: RawData, years: Iterable[int], *, window: int = WINDOW, trade: str = DEFAULT_TRADE,
                estimates: str = DEFAULT_ESTIMATES, poles: Sequence[str] = SUPERPOWERS) -> Panel:
    """Moving-averaged game inputs for ``years`` (a balanced panel; see the module docstring)."""
    years = tuple(sorted(set(int(y) for y in years)))
    if not years:
        raise SpheresInputError("years must not be empty")
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise SpheresInputError(f"window = {window!r} must be an integer >= 1 (years in the moving average)")
    poles = tuple(poles)
    if len(poles) < 2 or len(set(poles)) != len(poles) or any(p not in POLE_MEMBERS for p in poles):
        raise SpheresInputError(f"poles = {list(poles)}; expected two or more distinct of {', '.join(POLE_MEMBERS)}")
    raw.source(trade)
    span = list(range(years[0] - window + 1, years[-1] + 1))
    cols = list(years)
    member_of = {m: p for p in poles for m in POLE_MEMBERS[p]}
    for m, p in member_of.items():
        if m not in set(raw.democracy["iso3"]):
            raise DataFileError(f"{raw.data_dir / FILES['democracy']}: no rows for {m}; expected the index of every "
                                f"member of pole {p}")
    universe = sorted(raw.countries)

    di = _wide(raw.democracy, "di", universe, span)
    gdp = _wide(raw.gdp, "gdp_usd", universe, span)
    source = _mirror_trade(raw, poles, universe, span) if trade == "mirror" else \
        _reporter_trade(raw, poles, estimates, universe, span)
    total = source.total
    gaps: list[dict] = list(source.gaps)

    ratios, zeros, reported = {}, {}, {}
    for pole in poles:
        ex, im = source.flows[pole]
        for i, t in zip(*np.nonzero((ex.isna() ^ im.isna()).to_numpy())):
            missing = "exports" if pd.isna(ex.iat[i, t]) else "imports"
            gaps.append(dict(iso3=universe[i], year=span[t], variable=f"trade_{pole}",
                             issue=_Trade.one_way(trade, pole, missing),
                             action="that direction counted as 0 (the other is reported)"))
        flows = (ex.fillna(0.0) + im.fillna(0.0)).where(ex.notna() | im.notna())
        reported[pole] = flows.notna()
        none = flows.isna() & total.notna()
        for i, t in zip(*np.nonzero(none.to_numpy())):
            gaps.append(dict(iso3=universe[i], year=span[t], variable=f"g_{pole}",
                             issue=f"no trade with {pole} reported", action="footnote 27: g = 0 this year"))
        ratio = flows.where(~none, 0.0) / total
        # A ratio above 1 means more trade with the pole than in total: mirror flows against the
        # partner's own total (CIF/FOB, re-exports); it is capped at 1 and reported.
        for i, t in zip(*np.nonzero((ratio > 1.0).to_numpy())):
            gaps.append(dict(iso3=universe[i], year=span[t], variable=f"g_{pole}",
                             issue=f"annual ratio {ratio.iat[i, t]:.3f} > 1 (trade with {pole} exceeds total trade)",
                             action="capped at 1"))
        ratios[pole] = ratio.clip(upper=1.0)
        zeros[pole] = none

    di_ma, n_di = _moving(di, window)
    gdp_ma, n_gdp = _moving(gdp, window)
    g_ma = {p: _moving(ratios[p], window) for p in poles}
    z_ma = {p: zeros[p].astype(int).T.rolling(window, min_periods=1).sum().T.astype(int) for p in poles}

    # Status of every country.
    status, reasons = {}, {}
    have_di = set(raw.democracy["iso3"])
    gdp_years = raw.gdp.groupby("iso3")["year"].agg(list).to_dict()
    for iso in universe:
        if iso in poles:
            status[iso], reasons[iso] = "superpower", f"pole {iso} ({POLE_NAMES[iso]})"
            continue
        if iso in member_of:
            status[iso] = "pole member"
            reasons[iso] = f"member of pole {member_of[iso]}: its GDP and democracy score make the pole's"
            continue
        why = []
        no_di = [y for y in cols if pd.isna(di_ma.at[iso, y])]
        no_gdp = [y for y in cols if pd.isna(gdp_ma.at[iso, y])]
        if iso not in have_di:
            why.append("not in the EIU Democracy Index file")
        elif no_di:
            why.append(f"no EIU index in the window of {_span_text(no_di)}")
        if no_gdp:
            held = f"World Bank GDP only {_span_text(gdp_years[iso], count=False)}" if iso in gdp_years \
                else "no World Bank GDP"
            why.append(f"{held}: no GDP in the window of {_span_text(no_gdp)}")
        if total.loc[iso].isna().all():
            why.append(_no_total_reason(raw, trade, iso, gdp, span))
        status[iso] = "left out" if why else "kept"
        full = all(int(n_gdp.at[iso, y]) == window for y in cols) and \
            all(int(g_ma[p][1].at[iso, y]) == window and int(z_ma[p].at[iso, y]) == 0 for p in poles for y in cols)
        reasons[iso] = "; ".join(why) if why else "complete" if full else \
            "kept; some windows partial or footnote-27 zeros (see gaps)"
    kept = [iso for iso in universe if status[iso] == "kept"]
    if not kept:
        raise SpheresInputError(f"no country has complete inputs for {years[0]}-{years[-1]}")
    for pole in poles:
        seen = reported[pole].loc[kept].T.rolling(window, min_periods=1).sum().T.sum(axis=0)
        empty = [y for y in cols if seen[y] == 0]
        if empty:
            raise SpheresInputError(f"pole {pole}: no country reports trade with it in the window of "
                                    f"{_span_text(empty)} ({source_label(trade, estimates)} data); choose years "
                                    "with trade data")

    # The poles: GDP summed over members, democracy score GDP-weighted.
    sp_rows = []
    for pole in poles:
        for yr in years:
            mem = list(POLE_MEMBERS[pole])
            lacking = [m for m in mem if pd.isna(di_ma.at[m, yr]) or pd.isna(gdp_ma.at[m, yr])]
            if lacking:
                raise SpheresInputError(f"pole {pole}: no EIU index or GDP for {', '.join(lacking)} in the {window}-year "
                                        f"window ending {yr}")
            weight = gdp_ma.loc[mem, yr]
            sp_rows.append(dict(iso3=pole, year=yr, di=float((di_ma.loc[mem, yr] * weight).sum() / weight.sum()),
                                gdp=float(weight.sum()) / 1e12))
    superpowers = pd.DataFrame(sp_rows)

    # The inputs, with footnote 27 for windows without any total trade.
    frames = []
    for yr in cols:
        frame = pd.DataFrame({"iso3": kept, "name": [raw.names.get(i, i) for i in kept], "year": yr,
                              "di": di_ma.loc[kept, yr].to_numpy(), "gdp": gdp_ma.loc[kept, yr].to_numpy() / 1e12})
        for pole in poles:
            key = POLE_KEYS[pole]
            g = g_ma[pole][0].loc[kept, yr]
            for iso in g.index[g.isna()]:
                gaps.append(dict(iso3=iso, year=yr, variable=f"g_{pole}",
                                 issue=f"no total trade in the window {yr - window + 1}-{yr}",
                                 action="footnote 27: g = 0 (no trade data)"))
            frame[f"g_{key}"] = g.fillna(0.0).to_numpy()
        frame["n_di"] = n_di.loc[kept, yr].to_numpy()
        frame["n_gdp"] = n_gdp.loc[kept, yr].to_numpy()
        for pole in poles:
            key = POLE_KEYS[pole]
            frame[f"n_g_{key}"] = g_ma[pole][1].loc[kept, yr].to_numpy()
            frame[f"z_g_{key}"] = z_ma[pole].loc[kept, yr].to_numpy()
        frames.append(frame)
    inputs = pd.concat(frames, ignore_index=True)

    # Annual values missing inside a kept country's windows (the EIU years before its first
    # edition are structural and documented once rather than listed per country).
    first_di = int(raw.democracy["year"].min())
    annual = [("gdp", gdp), ("EIU index", di), ("total trade", total)]
    for name, table in annual:
        sub = table.loc[kept]
        for i, t in zip(*np.nonzero(sub.isna().to_numpy())):
            year = span[t]
            if name == "EIU index" and year < first_di:
                continue
            gaps.append(dict(iso3=kept[i], year=year, variable=name, issue="no annual value",
                             action=f"left out of the moving averages whose window contains {year}"))

    member_di = pd.DataFrame([(yr, di_ma.at[m, yr]) for m in member_of for yr in cols], columns=["year", "di"])
    _locate(inputs, superpowers, member_di)
    countries = pd.DataFrame(
        [dict(iso3=iso, name=raw.names.get(iso, iso), status=status[iso], reason=reasons[iso]) for iso in universe]
    )
    for code in raw.unmapped_democracy_codes:
        countries.loc[len(countries)] = dict(iso3="", name=code, status="left out",
                                             reason="Gapminder code has no ISO3 in the entities file")
    counts = inputs.groupby("year").size().rename("countries").reset_index()
    gaps_df = pd.DataFrame(gaps, columns=["iso3", "year", "variable", "issue", "action"])
    gaps_df = gaps_df[gaps_df["iso3"].isin(kept)]
    gaps_df.insert(1, "name", gaps_df["iso3"].map(lambda i: raw.names.get(i, i)))
    gaps_df = gaps_df.sort_values(["iso3", "year", "variable"]).reset_index(drop=True)
    notes = (
        f"trade: {source_label(trade, estimates)}",
        f"moving average: trailing {window}-year mean of the available annual values",
        f"EIU index starts {first_di}: locations for {first_di}-{first_di + window - 2} average "
        f"1-{window - 1} years",
    )
    return Panel(inputs=inputs, superpowers=superpowers, countries=countries, counts=counts,
                 gaps=gaps_df, years=years, notes=notes, poles=poles, trade=trade,
                 estimates=estimates if trade == "reporter" else "")


def _no_total_reason(raw: RawData, trade: str, iso: str, gdp: pd.DataFrame, span: list[int]) -> str:
    if trade == "reporter":
        if iso not in raw.dots.books:
            return "not a DOTS reporter (no own trade reports)"
        return f"its DOTS workbook has no World totals in {span[0]}-{span[-1]}"
    parts = []
    if iso not in set(raw.merchandise["iso3"]):
        parts.append("no WDI merchandise-trade denominator")
    if gdp.loc[iso].isna().all():
        parts.append("no GDP for the denominator")
    return "; ".join(parts + [f"no total trade in {span[0]}-{span[-1]}"])


def _span_text(years: Sequence[int], count: bool = True) -> str:
    years = sorted(years)
    if len(years) == 1:
        return str(years[0])
    return f"{years[0]}-{years[-1]}" + (f" ({len(years)} years)" if count else "")


def _locate(inputs: pd.DataFrame, superpowers: pd.DataFrame, members: pd.DataFrame) -> None:
    """Footnote 25 per year over the year's players: l = (max DI - DI) / (max DI - min DI).

    The players are the kept non-superpowers and every member of every pole (``members``:
    year, di); a pole's location is that of its GDP-weighted democracy score.
    """
    both = pd.concat([inputs[["year", "di"]], members[["year", "di"]]])
    hi = both.groupby("year")["di"].max()
    lo = both.groupby("year")["di"].min()
    if ((hi - lo) <= 0).any():
        raise SpheresInputError("all players have the same democracy score in some year; locations undefined")
    for frame in (inputs, superpowers):
        frame["location"] = (frame["year"].map(hi) - frame["di"]) / (frame["year"].map(hi) - frame["year"].map(lo))


# --------------------------------------------------------------------------- the projection
def build_projection(
    panel: Panel,
    years: Iterable[int],
    *,
    model: str = DEFAULT_SSP_MODEL,
    base_year: int = BASE_YEAR,
    data_dir: str | os.PathLike | None = None,
) -> Panel:
    """Section 4.2: SSP2 GDP for each projected year, ``base_year`` locations and dependencies.

    ``panel`` must contain ``base_year``. Countries of the base-year game without an SSP
    value in some projected year are left out (reported); a pole needs every member's SSP
    GDP. No moving average is taken: the SSP values are already 5-year points of smooth paths.
    """
    years = tuple(sorted(set(int(y) for y in years)))
    if not years:
        raise SpheresInputError("projection years must not be empty")
    base = panel.year(base_year)
    ssp = load_ssp_gdp(resolve_data_dir(data_dir), model)
    table = ssp.pivot_table(index="iso3", columns="year", values="gdp_ppp_bn", aggfunc="first")
    absent = [y for y in years if y not in table.columns]
    if absent:
        have = sorted(int(c) for c in table.columns)
        raise SpheresInputError(f"projection years {absent} are not in the SSP file (it has {have[0]}-{have[-1]}, 5-year steps)")
    table = table.reindex(columns=list(years))
    for pole in panel.poles:
        lacking = [m for m in POLE_MEMBERS[pole] if m not in table.index or table.loc[m].isna().any()]
        if lacking:
            raise SpheresInputError(f"pole {pole}: no SSP2 GDP ({model}) for {', '.join(lacking)} in every year of "
                                    f"{years[0]}-{years[-1]}")
    status = {}
    for iso in base["iso3"]:
        missing = [] if iso not in table.index else [y for y in years if pd.isna(table.at[iso, y])]
        if iso not in table.index:
            status[iso] = f"no SSP2 GDP in the {model} projections"
        elif missing:
            status[iso] = f"no SSP2 GDP ({model}) for {_span_text(missing)}"
    kept = base[~base["iso3"].isin(status)]
    inputs = pd.concat([kept.assign(year=yr, gdp=kept["iso3"].map(table[yr]) / 1e3, n_gdp=1) for yr in years],
                       ignore_index=True)
    sp = []
    for pole in panel.poles:
        ref = panel.superpower(base_year, pole)
        for yr in years:
            sp.append(dict(iso3=pole, year=yr, di=ref["di"], location=ref["location"],
                           gdp=float(table.loc[list(POLE_MEMBERS[pole]), yr].sum()) / 1e3))
    countries = panel.countries.copy()
    countries["reason"] = countries["reason"].astype(object)
    for iso, why in status.items():
        countries.loc[countries["iso3"] == iso, ["status", "reason"]] = ["left out", why]
    names = base.set_index("iso3")["name"]
    gaps = pd.DataFrame(
        [dict(iso3=iso, name=names[iso], year=y, variable="SSP2 GDP", issue=why,
              action="country left out of the projection") for iso, why in status.items() for y in years],
        columns=["iso3", "name", "year", "variable", "issue", "action"],
    )
    counts = inputs.groupby("year").size().rename("countries").reset_index()
    unit = "trillion US$2005 PPP" if model == "iiasa" else "trillion US$2017 PPP"
    notes = panel.notes + (
        f"projection: SSP2 GDP from {SSP_MODELS[model]}; locations and dependencies held at {base_year}",
    )
    return replace(panel, inputs=inputs, superpowers=pd.DataFrame(sp), countries=countries, counts=counts, gaps=gaps,
                   years=years, gdp_unit=unit, notes=notes)


# --------------------------------------------------------------------------- a third pole
def third_pole(raw: RawData, pole: str, years: Iterable[int] = range(2006, BASE_YEAR + 1),
               projection: Iterable[int] | None = range(2030, 2101, 5), *, model: str = DEFAULT_SSP_MODEL,
               estimates: str = DEFAULT_ESTIMATES) -> tuple[Panel, Panel | None]:
    """The inputs of a K = 3 world, poles (US, China, ``pole``), from each country's own trade reports.

    Returns the historical panel for ``years`` and, unless ``projection`` is None, the SSP2
    projection built on its ``BASE_YEAR`` (which ``years`` must contain). ``Panel.world(year)``
    gives each year's arrays; ``pole`` is ``"IND"`` or ``"EU"`` (its 27 members summed).
    """
    check_choice("third pole", pole, THIRD_POLES)
    panel = build_panel(raw, years, trade="reporter", estimates=estimates, poles=(US, CN, pole))
    if projection is None:
        return panel, None
    return panel, build_projection(panel, projection, model=model, data_dir=raw.data_dir)
