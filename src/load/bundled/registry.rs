//! The bundled datasets, described as data: adding one is an entry in [`DATASETS`] and
//! its files in `data/`, nothing else.
//!
//! A figures file has the columns of `data/provinces-original.csv` (`code`, `region_en`,
//! `year`, `population_10k`, and optionally `region_zh`, the rates, the confidence, the
//! sources and a note); a regions file those of `data/regions.csv`, plus one column per
//! grouping the entry names.

use super::{DatasetSpec, Embedded, GroupingSpec};
use crate::number::Unit;
use crate::panel::ComponentsKind;

/// The provincial-level divisions: codes, names, aliases and their groupings.
const PROVINCES: Embedded = Embedded {
    path: "data/regions.csv",
    text: include_str!("../../../data/regions.csv"),
};

/// National totals of both series, which are not the sum of the regions.
const NATIONAL: Embedded = Embedded {
    path: "data/national.csv",
    text: include_str!("../../../data/national.csv"),
};

/// How the provinces are grouped: the first grouping is the default.
const PROVINCE_GROUPINGS: &[GroupingSpec] = &[
    GroupingSpec {
        name: "north-south",
        column: "north_south",
        order: &["north", "south"],
        contested: Some((
            "north_south_ambiguous",
            "The north/south split is a convention: the Qinling-Huaihe line runs through or \
             along {regions}, whose side is contested.",
        )),
    },
    GroupingSpec {
        name: "nbs-regions",
        column: "nbs_region",
        order: &["east", "central", "west", "northeast"],
        contested: None,
    },
];

/// Ten cities of the 2018 report's "second-tier cities": names, codes, provinces, and the
/// boundary changes that touch their series.
const CITIES: Embedded = Embedded {
    path: "data/cities-regions.csv",
    text: include_str!("../../../data/cities-regions.csv"),
};

/// How the cities are grouped.
const CITY_GROUPINGS: &[GroupingSpec] = &[GroupingSpec {
    name: "province",
    column: "province",
    order: &[
        "Zhejiang",
        "Sichuan",
        "Hubei",
        "Shaanxi",
        "Henan",
        "Hunan",
        "Guangdong",
        "Liaoning",
        "Tianjin",
        "Chongqing",
    ],
    contested: None,
}];

/// Every bundled dataset; the first is the default.
pub const DATASETS: &[DatasetSpec] = &[
    DatasetSpec {
        name: "china",
        summary: "Mainland China's 31 provincial-level divisions, 2015-2018, as first published.",
        description: "year-end permanent (常住) population of mainland China's 31 \
            provincial-level divisions as first published in provincial statistical \
            communiqués and China Statistical Yearbooks 2016-2019 (before the NBS revision \
            after the 2020 census)",
        figures: Embedded {
            path: "data/provinces-original.csv",
            text: include_str!("../../../data/provinces-original.csv"),
        },
        regions: PROVINCES,
        national: Some((NATIONAL, "China (mainland total)")),
        default_years: (2016, 2017),
        unit: Unit::TenThousand,
        components: ComponentsKind::Rates,
        groupings: PROVINCE_GROUPINGS,
    },
    DatasetSpec {
        name: "china-revised",
        summary: "The same regions, 2005-2024, as revised by the NBS after the 2020 census.",
        description: "year-end permanent (常住) population of mainland China's 31 \
            provincial-level divisions, 2005-2024, as revised by the NBS after the 2020 \
            census (whole 10,000s; not comparable with the series as first published)",
        figures: Embedded {
            path: "data/provinces-revised.csv",
            text: include_str!("../../../data/provinces-revised.csv"),
        },
        regions: PROVINCES,
        national: Some((NATIONAL, "China (mainland total, revised)")),
        default_years: (2023, 2024),
        unit: Unit::TenThousand,
        components: ComponentsKind::None,
        groupings: PROVINCE_GROUPINGS,
    },
    DatasetSpec {
        name: "china-cities",
        summary: "Ten Chinese cities, 2015-2018, as first published (city statistics bureaus).",
        description: "year-end (31 December) permanent-resident (常住) population of the whole \
            city (全市: districts, counties and county-level cities, not 市辖区 alone) of ten \
            cities, 2015-2018, as first published in city statistical communiqués and \
            bulletins (before the revisions after the 2020 census; never the registered, \
            户籍, series); some figures are derived from a stated total and a stated \
            increase, and several years were not found",
        figures: Embedded {
            path: "data/cities.csv",
            text: include_str!("../../../data/cities.csv"),
        },
        regions: CITIES,
        national: None,
        default_years: (2016, 2017),
        unit: Unit::TenThousand,
        components: ComponentsKind::None,
        groupings: CITY_GROUPINGS,
    },
];
