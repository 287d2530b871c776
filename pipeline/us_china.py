"""Inputs of the US-China club game (Kikuchi & Liu, Section 4) from the staged public data.

For every year and every non-superpower the game needs a location on [0, 1] (the EIU
Democracy Index, most democratic at 0: footnote 25), its dependencies g_i,US and
g_i,China (trade with each as a share of its total trade) and its endowment (GDP). All
three are 5-year trailing moving averages, as the paper says ("We take 5-year moving
averages for all exogenous variables"). The projection (Section 4.2) keeps the 2019
locations and dependencies and takes GDP from the SSP2 projections.

Every choice is documented in ``docs/us_china.md``; in short:

* Moving average: the value for year t is the mean of the annual values available in
  [t-4, t]. The index starts in 2006, so the 2006-2009 locations average 1-4 years
  (2006 alone for 2006, 2006-2007 for 2007, ...); GDP and trade go back to 2002, so
  their windows are complete unless a year is missing, and every missing annual value
  of a kept country is listed in ``Panel.gaps``.
* Dependencies: the staged trade file holds the US's and China's own reports (mirror
  data), so g_i,US = (US exports to i + US imports from i) / total merchandise trade of
  i, with the denominator WDI merchandise trade (% of GDP) x GDP. A reporter that lists
  one direction but not the other in a year has the missing direction counted as 0
  (reported): these are embargoes or negligible flows (US imports from Cuba, Myanmar).
* Footnote 27: where the ratio with China is missing for a whole window, g_i,China = 0;
  where both are missing, both are 0 (never silently: each case is in ``Panel.gaps``).
  The same rule is applied symmetrically to a missing US ratio.
* Locations: l_i = (max DI - DI_i) / (max DI - min DI) per year over the players of that
  year's game: the kept non-superpowers plus the US and China (their scores are never
  the extremes, so including them changes nothing but places them on the same scale).
* Endowments: GDP in trillions of US$ (current US$ for 2006-2019; PPP US$ of the SSP
  model's base year for the projection). Only ratios of endowments enter the game.
* Sample: a balanced panel, as the paper's ("145 countries for which the DI and bilateral
  trade data are available from 2006 to 2019"): a country is kept if it has a location and
  a GDP in every year of the run and a trade ratio in at least one year.

Errors: a missing or malformed file raises ``DataFileError`` (a ``SpheresInputError``)
naming the file, the line and what was expected.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from games.validation import SpheresInputError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "raw"
DATA_ENV = "SPHERES_DATA"

US, CN = "USA", "CHN"
SUPERPOWERS = (US, CN)
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


class DataFileError(SpheresInputError):
    """A data file is missing or malformed; the message names the file, the line and what was expected."""


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


# --------------------------------------------------------------------------- checked CSV reading
def _line(index) -> int:
    """File line of a data row (the header is line 1, the first data row line 2)."""
    return int(index) + 2


def read_table(path: Path, columns: Sequence[str], what: str, *, encoding: str = "utf-8-sig") -> pd.DataFrame:
    """Read a CSV as strings, checking it exists, parses and has ``columns``."""
    if not path.is_file():
        raise DataFileError(f"{path}: file not found; expected {what} (see docs/us_china.md for its source)")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: not a readable CSV of {what}: {exc}") from exc
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataFileError(
            f"{path}, line 1 (header): missing column(s) {missing}; expected {what} with columns {list(columns)}"
        )
    if df.empty:
        raise DataFileError(f"{path}: no data rows; expected {what}")
    return df


def to_number(
    df: pd.DataFrame,
    column: str,
    path: Path,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    blank_ok: bool = False,
    integer: bool = False,
) -> pd.Series:
    """Column as floats; the first bad cell raises DataFileError naming file, line and expectation."""
    raw = df[column].astype(str).str.strip()
    blank = raw.isin(["", "NA", "NaN", "nan"])
    values = pd.to_numeric(raw.where(~blank), errors="coerce")
    kind = "an integer year" if integer else "a number"
    bounds = ""
    if low is not None or high is not None:
        left = "(" if low_open else "["
        right = ")" if high is None else "]"
        bounds = f" in {left}{'-inf' if low is None else f'{low:g}'}, {'inf' if high is None else f'{high:g}'}{right}"
    bad = ~blank & values.isna()
    if integer:
        bad |= ~blank & values.notna() & (values != values.round())
    if not blank_ok:
        bad |= blank
    if low is not None:
        bad |= values.notna() & ((values <= low) if low_open else (values < low))
    if high is not None:
        bad |= values.notna() & (values > high)
    if bad.any():
        first = bad.idxmax()
        cell = df.at[first, column]
        raise DataFileError(
            f"{path}, line {_line(first)}: column {column!r} is {cell!r}; expected {kind}{bounds}"
            + ("" if blank_ok else " (no empty cells)")
        )
    return values


def check_unique(df: pd.DataFrame, keys: Sequence[str], path: Path) -> None:
    dup = df.duplicated(list(keys), keep=False)
    if dup.any():
        rows = df.index[dup][:2]
        raise DataFileError(
            f"{path}, lines {_line(rows[0])} and {_line(rows[1])}: duplicate {'/'.join(keys)} "
            f"{tuple(df.loc[rows[0], list(keys)])}; expected one row per {'/'.join(keys)}"
        )


# --------------------------------------------------------------------------- loaders
def load_geo(data_dir: Path) -> pd.DataFrame:
    """Gapminder geo codes -> ISO3 and names: columns code, iso3, name (iso3 may be empty)."""
    path = data_dir / FILES["geo"]
    df = read_table(path, ["country", "iso3166_1_alpha3", "name"], "Gapminder geo entities")
    bad = df["country"].str.strip() == ""
    if bad.any():
        raise DataFileError(f"{path}, line {_line(bad.idxmax())}: empty 'country' code; expected a Gapminder geo code")
    check_unique(df, ["country"], path)
    iso = df["iso3166_1_alpha3"].str.strip().str.upper()
    bad_iso = (iso != "") & ~iso.str.fullmatch(r"[A-Z]{3}")
    if bad_iso.any():
        first = bad_iso.idxmax()
        raise DataFileError(
            f"{path}, line {_line(first)}: iso3166_1_alpha3 is {df.at[first, 'iso3166_1_alpha3']!r}; "
            "expected three letters or empty"
        )
    return pd.DataFrame({"code": df["country"].str.strip(), "iso3": iso, "name": df["name"].str.strip()})


def _map_codes(codes: pd.Series, geo: pd.DataFrame) -> pd.Series:
    return codes.map(dict(zip(geo["code"], geo["iso3"]))).fillna("")


def load_democracy(data_dir: Path, geo: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """EIU Democracy Index (Gapminder 0-100 scale): columns iso3, year, di; plus unmapped codes."""
    path = data_dir / FILES["democracy"]
    df = read_table(path, ["country", "time", "demox_eiu"], "the EIU Democracy Index by country and year")
    year = to_number(df, "time", path, low=1900, high=2100, integer=True)
    di = to_number(df, "demox_eiu", path, low=0, high=100)
    check_unique(df, ["country", "time"], path)
    iso = _map_codes(df["country"].str.strip(), geo)
    unmapped = sorted(set(df.loc[iso == "", "country"]))
    out = pd.DataFrame({"iso3": iso, "year": year.astype(int), "di": di})
    return out[out["iso3"] != ""].reset_index(drop=True), unmapped


def load_gdp(data_dir: Path) -> pd.DataFrame:
    """World Bank GDP, current US$: columns iso3, year, gdp_usd (aggregates included; joined away later)."""
    path = data_dir / FILES["gdp"]
    df = read_table(path, ["Country Name", "Country Code", "Year", "Value"], "World Bank GDP (current US$)")
    year = to_number(df, "Year", path, low=1900, high=2100, integer=True)
    value = to_number(df, "Value", path, low=0, low_open=True, blank_ok=True)
    check_unique(df, ["Country Code", "Year"], path)
    out = pd.DataFrame({"iso3": df["Country Code"].str.strip().str.upper(), "year": year.astype(int), "gdp_usd": value})
    return out.dropna(subset=["gdp_usd"]).reset_index(drop=True)


def load_merchandise_share(data_dir: Path, geo: pd.DataFrame) -> pd.DataFrame:
    """WDI merchandise trade (% of GDP): columns iso3, year, merch_pct."""
    path = data_dir / FILES["merchandise"]
    df = read_table(path, ["geo", "time", "merchandise_trade_percent_of_gdp"], "WDI merchandise trade (% of GDP)")
    year = to_number(df, "time", path, low=1900, high=2100, integer=True)
    pct = to_number(df, "merchandise_trade_percent_of_gdp", path, low=0, low_open=True)
    check_unique(df, ["geo", "time"], path)
    iso = _map_codes(df["geo"].str.strip(), geo)
    out = pd.DataFrame({"iso3": iso, "year": year.astype(int), "merch_pct": pct})
    return out[out["iso3"] != ""].reset_index(drop=True)


def load_mirror_trade(data_dir: Path) -> pd.DataFrame:
    """US and China goods trade with each partner (their own reports), US$.

    Columns iso3, year and one per flow: ``USA_exports``, ``USA_imports``, ``CHN_exports``,
    ``CHN_imports`` (NaN where the reporter lists nothing). Partner codes that are not
    countries (IMF aggregates such as G001 World) are dropped.
    """
    path = data_dir / FILES["trade"]
    df = read_table(path, ["SERIES_CODE", "COUNTERPART_COUNTRY"], "IMF IMTS goods trade of the US and China by partner")
    year_cols = [c for c in df.columns if c.strip().isdigit()]
    if not year_cols:
        raise DataFileError(f"{path}, line 1 (header): no year columns; expected columns 2001 ... 2024")
    parts = df["SERIES_CODE"].str.strip().str.split(".")
    ok = (
        (parts.str.len() == 4)
        & parts.str[0].isin(SUPERPOWERS)
        & parts.str[1].isin(list(TRADE_INDICATORS))
        & (parts.str[2].str.len() > 0)
        & (parts.str[3] == "A")
    ).fillna(False).astype(bool)
    if not ok.all():
        first = (~ok).idxmax()
        raise DataFileError(
            f"{path}, line {_line(first)}: SERIES_CODE is {df.at[first, 'SERIES_CODE']!r}; expected "
            f"'<USA|CHN>.<{'|'.join(TRADE_INDICATORS)}>.<partner>.A'"
        )
    df = df.assign(reporter=parts.str[0], flow=parts.str[1].map(TRADE_INDICATORS),
                   partner=parts.str[2].replace(IMF_TO_ISO3))
    check_unique(df, ["reporter", "flow", "partner"], path)
    for col in year_cols:
        df[col] = to_number(df, col, path, low=0, blank_ok=True)
    df = df[df["partner"].str.fullmatch(r"[A-Z]{3}")]
    long = df.melt(id_vars=["reporter", "flow", "partner"], value_vars=year_cols, var_name="year", value_name="value")
    long["year"] = long["year"].str.strip().astype(int)
    long["series"] = long["reporter"] + "_" + long["flow"]
    wide = long.pivot_table(index=["partner", "year"], columns="series", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=[f"{r}_{f}" for r in SUPERPOWERS for f in TRADE_INDICATORS.values()])
    wide = wide * 1e6  # millions of US$ -> US$
    wide.index.names = ["iso3", "year"]
    return wide.reset_index().rename_axis(columns=None)


def load_ssp_gdp(data_dir: Path, model: str = DEFAULT_SSP_MODEL, scenario: str = "SSP2") -> pd.DataFrame:
    """SSP GDP (PPP) projections: columns iso3, year, gdp_ppp_bn (billions)."""
    if model not in SSP_MODELS:
        raise SpheresInputError(f"ssp model = {model!r} is not one of: {', '.join(SSP_MODELS)}")
    if model == "iiasa":
        path = data_dir / FILES["ssp_iiasa"]
        df = read_table(path, ["MODEL", "SCENARIO", "REGION", "VARIABLE", "UNIT"], "SSP GDP|PPP by country (IIASA)")
        df = df[(df["MODEL"] == "IIASA GDP") & df["SCENARIO"].str.startswith(f"{scenario}_") & (df["VARIABLE"] == "GDP|PPP")]
        if df.empty:
            raise DataFileError(f"{path}: no 'IIASA GDP' rows for scenario {scenario}; expected GDP|PPP rows")
        year_cols = [c for c in df.columns if c.strip().isdigit()]
        for col in year_cols:
            df[col] = to_number(df, col, path, low=0, low_open=True, blank_ok=True)
        check_unique(df, ["REGION"], path)
        long = df.melt(id_vars=["REGION"], value_vars=year_cols, var_name="year", value_name="gdp_ppp_bn")
        long = long.rename(columns={"REGION": "iso3"}).dropna(subset=["gdp_ppp_bn"])
    else:
        path = data_dir / FILES["ssp_oecd_v31"]
        df = read_table(path, ["scenario", "variable", "year", "value", "iso", "data.version"], "SSP v3.1 GDP|PPP")
        df = df[(df["scenario"] == scenario) & (df["variable"] == "GDP|PPP") & (df["data.version"] == "OECD")]
        if df.empty:
            raise DataFileError(f"{path}: no OECD GDP|PPP rows for scenario {scenario}")
        df = df.assign(
            year=to_number(df, "year", path, low=1900, high=2200, integer=True),
            gdp_ppp_bn=to_number(df, "value", path, low=0, low_open=True),
        )
        check_unique(df, ["iso", "year"], path)
        long = df.rename(columns={"iso": "iso3"})[["iso3", "year", "gdp_ppp_bn"]]
    long["year"] = long["year"].astype(int)
    long["iso3"] = long["iso3"].str.strip().str.upper()
    return long.reset_index(drop=True)


@dataclass(frozen=True)
class RawData:
    """The historical raw inputs, loaded and checked (long tables keyed by iso3, year)."""

    names: dict[str, str]
    democracy: pd.DataFrame
    gdp: pd.DataFrame
    merchandise: pd.DataFrame
    trade: pd.DataFrame
    unmapped_democracy_codes: list[str]
    data_dir: Path


def load_raw(data_dir: str | os.PathLike | None = None) -> RawData:
    """Load and check every historical file (the SSP files are read by ``build_projection``)."""
    root = resolve_data_dir(data_dir)
    geo = load_geo(root)
    democracy, unmapped = load_democracy(root, geo)
    return RawData(
        names={iso: name for iso, name in zip(geo["iso3"], geo["name"]) if iso},
        democracy=democracy,
        gdp=load_gdp(root),
        merchandise=load_merchandise_share(root, geo),
        trade=load_mirror_trade(root),
        unmapped_democracy_codes=unmapped,
        data_dir=root,
    )


# --------------------------------------------------------------------------- the panel
@dataclass(frozen=True)
class Panel:
    """Game inputs for a range of years, with a full account of who is in and why.

    inputs: one row per (year, kept non-superpower): iso3, name, year, di, location, g_us,
        g_cn, gdp (trillions), and for each moving average the number of annual values it
        used (``n_di``, ``n_gdp``, ``n_g_us``, ``n_g_cn``) and ``fill`` (footnote 27 zeros).
    superpowers: one row per (year, power): iso3, year, di, location, gdp.
    countries: iso3, name, status ('kept', 'left out', 'superpower'), reason.
    counts: year, countries (the number of non-superpowers in that year's game).
    gaps: iso3, name, year, variable, issue, action (every missing annual value of a kept
        country inside its windows, every footnote-27 zero, every one-way trade zero).
    """

    inputs: pd.DataFrame
    superpowers: pd.DataFrame
    countries: pd.DataFrame
    counts: pd.DataFrame
    gaps: pd.DataFrame
    years: tuple[int, ...]
    gdp_unit: str = "trillion current US$"
    notes: tuple[str, ...] = field(default_factory=tuple)

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

    def mean_dependency(self) -> pd.DataFrame:
        """Mean g_i,US and g_i,China over the year's non-superpowers (the paper's Figure 9 captions)."""
        return self.inputs.groupby("year")[["g_us", "g_cn"]].mean().reset_index()

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


def build_panel(raw: RawData, years: Iterable[int], *, window: int = WINDOW) -> Panel:
    """Moving-averaged game inputs for ``years`` (a balanced panel; see the module docstring)."""
    years = tuple(sorted(set(int(y) for y in years)))
    if not years:
        raise SpheresInputError("years must not be empty")
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise SpheresInputError(f"window = {window!r} must be an integer >= 1 (years in the moving average)")
    span = list(range(years[0] - window + 1, years[-1] + 1))
    di_years = sorted(raw.democracy["year"].unique())
    universe = sorted(raw.democracy["iso3"].unique())
    for power in SUPERPOWERS:
        if power not in universe:
            raise DataFileError(f"{raw.data_dir / FILES['democracy']}: no rows for {power}; expected its index")

    di = _wide(raw.democracy, "di", universe, span)
    gdp = _wide(raw.gdp, "gdp_usd", universe, span)
    merch = _wide(raw.merchandise, "merch_pct", universe, span)
    total_trade = merch / 100.0 * gdp
    gaps: list[dict] = []

    ratios = {}
    for power in SUPERPOWERS:
        ex = _wide(raw.trade, f"{power}_exports", universe, span)
        im = _wide(raw.trade, f"{power}_imports", universe, span)
        one_way = ex.isna() ^ im.isna()
        for iso, yr in zip(*np.nonzero(one_way.to_numpy())):
            which = "exports to" if pd.isna(ex.iat[iso, yr]) else "imports from"
            gaps.append(dict(iso3=universe[iso], year=span[yr], variable=f"trade_{power}",
                             issue=f"{power} reports no {which} this country",
                             action="that direction counted as 0 (the other is reported)"))
        flows = ex.fillna(0.0) + im.fillna(0.0)
        flows = flows.where(~(ex.isna() & im.isna()))
        ratios[power] = flows / total_trade
    # A mirror ratio above 1 means the partner reports less total trade than the US or China
    # reports with it alone (CIF/FOB, re-exports); it is capped at 1 and reported.
    for power, table in ratios.items():
        over = table > 1.0
        for iso, yr in zip(*np.nonzero(over.to_numpy())):
            gaps.append(dict(iso3=universe[iso], year=span[yr], variable=f"g_{power}",
                             issue=f"annual ratio {table.iat[iso, yr]:.3f} > 1 (mirror flows exceed own total trade)",
                             action="capped at 1"))
        ratios[power] = table.clip(upper=1.0)

    di_ma, n_di = _moving(di, window)
    gdp_ma, n_gdp = _moving(gdp, window)
    gus_ma, n_gus = _moving(ratios[US], window)
    gcn_ma, n_gcn = _moving(ratios[CN], window)
    cols = list(years)

    # Superpowers.
    sp_rows = []
    for power in SUPERPOWERS:
        for yr in years:
            if pd.isna(di_ma.at[power, yr]) or pd.isna(gdp_ma.at[power, yr]):
                raise SpheresInputError(f"{power}: no EIU index or GDP in the {window}-year window ending {yr}")
            sp_rows.append(dict(iso3=power, year=yr, di=di_ma.at[power, yr], gdp=gdp_ma.at[power, yr] / 1e12))
    superpowers = pd.DataFrame(sp_rows)

    # Country status.
    status, reasons = {}, {}
    for iso in universe:
        if iso in SUPERPOWERS:
            status[iso], reasons[iso] = "superpower", "US (a, status quo) or China (b, challenger)"
            continue
        why = []
        no_di = [y for y in cols if pd.isna(di_ma.at[iso, y])]
        no_gdp = [y for y in cols if pd.isna(gdp_ma.at[iso, y])]
        no_trade = all(pd.isna(gus_ma.at[iso, y]) and pd.isna(gcn_ma.at[iso, y]) for y in cols)
        if no_di:
            why.append(f"no EIU index in the window of {_span_text(no_di)}")
        if no_gdp:
            have = gdp.loc[iso].dropna()
            held = f"World Bank GDP only {have.index.min()}-{have.index.max()}" if len(have) else "no World Bank GDP"
            why.append(f"{held}: no GDP in the window of {_span_text(no_gdp)}")
        if no_trade:
            parts = []
            if merch.loc[iso].isna().all():
                parts.append("no WDI merchandise-trade denominator")
            if gdp.loc[iso].isna().all():
                parts.append("no GDP for the denominator")
            parts.append("no US/China trade ratio in any year")
            why.append("; ".join(parts))
        status[iso] = "left out" if why else "kept"
        full = all(int(t.at[iso, y]) == window for t in (n_gdp, n_gus, n_gcn) for y in cols)
        reasons[iso] = "; ".join(why) if why else "complete" if full else \
            "kept; some windows partial or footnote-27 zeros (see gaps)"
    kept = [iso for iso in universe if status[iso] == "kept"]
    if not kept:
        raise SpheresInputError(f"no country has complete inputs for {years[0]}-{years[-1]}")

    # Rows of the game inputs, with footnote 27 and the gap report.
    rows = []
    for iso in kept:
        for yr in cols:
            g_us, g_cn = gus_ma.at[iso, yr], gcn_ma.at[iso, yr]
            fill = ""
            if pd.isna(g_us) and pd.isna(g_cn):
                g_us = g_cn = 0.0
                fill = "both"
            elif pd.isna(g_cn):
                g_cn, fill = 0.0, "g_cn"
            elif pd.isna(g_us):
                g_us, fill = 0.0, "g_us"
            if fill:
                gaps.append(dict(iso3=iso, year=yr, variable=f"g ({fill})",
                                 issue=f"no trade ratio in the window {yr - window + 1}-{yr}",
                                 action=f"footnote 27: {'g_us = g_cn' if fill == 'both' else fill} = 0"))
            rows.append(dict(iso3=iso, name=raw.names.get(iso, iso), year=yr, di=di_ma.at[iso, yr],
                             g_us=float(g_us), g_cn=float(g_cn), gdp=gdp_ma.at[iso, yr] / 1e12,
                             n_di=int(n_di.at[iso, yr]), n_gdp=int(n_gdp.at[iso, yr]),
                             n_g_us=int(n_gus.at[iso, yr]), n_g_cn=int(n_gcn.at[iso, yr]), fill=fill))
    inputs = pd.DataFrame(rows)
    # Annual values missing inside a kept country's windows (the EIU years before its first
    # edition, 2006, are structural and documented once rather than listed per country).
    first_di = min(di_years)
    for name, table in (("gdp", gdp), ("merchandise trade %", merch), ("EIU index", di),
                        ("g_USA (annual)", ratios[US]), ("g_CHN (annual)", ratios[CN])):
        sub = table.loc[kept]
        for iso, yr in zip(*np.nonzero(sub.isna().to_numpy())):
            year = span[yr]
            if name == "EIU index" and year < first_di:
                continue
            gaps.append(dict(iso3=kept[iso], year=year, variable=name, issue="no annual value",
                             action=f"left out of the moving averages whose window contains {year}"))

    _locate(inputs, superpowers)
    countries = pd.DataFrame(
        [dict(iso3=iso, name=raw.names.get(iso, iso), status=status[iso], reason=reasons[iso]) for iso in universe]
    )
    for code in raw.unmapped_democracy_codes:
        countries.loc[len(countries)] = dict(iso3="", name=code, status="left out",
                                             reason="Gapminder code has no ISO3 in the entities file")
    counts = inputs.groupby("year").size().rename("countries").reset_index()
    gaps_df = pd.DataFrame(gaps, columns=["iso3", "year", "variable", "issue", "action"])
    gaps_df = gaps_df[gaps_df["iso3"].isin(kept) | gaps_df["iso3"].isin(SUPERPOWERS)]
    gaps_df.insert(1, "name", gaps_df["iso3"].map(lambda i: raw.names.get(i, i)))
    gaps_df = gaps_df.sort_values(["iso3", "year", "variable"]).reset_index(drop=True)
    notes = (
        f"moving average: trailing {window}-year mean of the available annual values",
        f"EIU index starts {first_di}: locations for {first_di}-{first_di + window - 2} average "
        f"1-{window - 1} years",
    )
    return Panel(inputs=inputs, superpowers=superpowers, countries=countries, counts=counts,
                 gaps=gaps_df, years=years, notes=notes)


def _span_text(years: Sequence[int]) -> str:
    years = sorted(years)
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]} ({len(years)} years)"


def _locate(inputs: pd.DataFrame, superpowers: pd.DataFrame) -> None:
    """Footnote 25 per year over the year's players: l = (max DI - DI) / (max DI - min DI)."""
    both = pd.concat([inputs[["year", "di"]], superpowers[["year", "di"]]])
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
    value in some projected year are left out (reported). No moving average is taken:
    the SSP values are already 5-year points of smooth paths.
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
    for power in SUPERPOWERS:
        if power not in table.index or table.loc[power].isna().any():
            raise SpheresInputError(f"{power}: no SSP2 GDP ({model}) for every year of {years[0]}-{years[-1]}")
    status = {}
    for iso in base["iso3"]:
        missing = [] if iso not in table.index else [y for y in years if pd.isna(table.at[iso, y])]
        if iso not in table.index:
            status[iso] = f"no SSP2 GDP in the {model} projections"
        elif missing:
            status[iso] = f"no SSP2 GDP ({model}) for {_span_text(missing)}"
    kept = base[~base["iso3"].isin(status)]
    rows = []
    for yr in years:
        frame = kept.assign(year=yr, gdp=kept["iso3"].map(table[yr]) / 1e3, n_gdp=1)
        rows.append(frame)
    inputs = pd.concat(rows, ignore_index=True)
    sp = []
    for power in SUPERPOWERS:
        ref = panel.superpower(base_year, power)
        for yr in years:
            sp.append(dict(iso3=power, year=yr, di=ref["di"], location=ref["location"], gdp=table.at[power, yr] / 1e3))
    countries = panel.countries.copy()
    countries["reason"] = countries["reason"].astype(object)
    for iso, why in status.items():
        countries.loc[countries["iso3"] == iso, ["status", "reason"]] = ["left out", why]
    gaps = pd.DataFrame(
        [dict(iso3=iso, name=panel.year(base_year).set_index("iso3").at[iso, "name"], year=y, variable="SSP2 GDP",
              issue=why, action="country left out of the projection") for iso, why in status.items() for y in years],
        columns=["iso3", "name", "year", "variable", "issue", "action"],
    )
    counts = inputs.groupby("year").size().rename("countries").reset_index()
    unit = "trillion US$2005 PPP" if model == "iiasa" else "trillion US$2017 PPP"
    notes = panel.notes + (
        f"projection: SSP2 GDP from {SSP_MODELS[model]}; locations and dependencies held at {base_year}",
    )
    return Panel(inputs=inputs, superpowers=pd.DataFrame(sp), countries=countries, counts=counts, gaps=gaps,
                 years=years, gdp_unit=unit, notes=notes)
