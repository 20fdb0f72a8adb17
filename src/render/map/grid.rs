//! The tile grids a map is drawn on, kept as data (`data/grid-*.csv`), and how a region of
//! the data finds its tile.

use crate::error::{Error, Result};
use crate::load::bundled::{self, Dataset, RegionIndex};

/// One square of a grid: a region at a row and column (both from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    /// The label drawn on the tile: a two-letter abbreviation.
    pub abbr: String,
    /// The region's English name.
    pub name: String,
    /// Row, from 1 at the top.
    pub row: u32,
    /// Column, from 1 at the left.
    pub col: u32,
}

/// A country's tile grid, and every key its regions are found by.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Its name in messages: "china".
    pub name: &'static str,
    /// What its tiles are: "provinces of mainland China".
    pub what: &'static str,
    /// How a region finds its tile, said when none is found.
    pub keys_said: &'static str,
    /// The tiles.
    pub tiles: Vec<Tile>,
    index: RegionIndex,
}

/// China's 31 provincial-level divisions (the grid of R's geofacet, `china_prov_grid1`).
const CHINA: &str = include_str!("../../../data/grid-china.csv");
/// The 50 states and DC (NPR's tile grid, as gridmap-layout-usa keeps it).
const US: &str = include_str!("../../../data/grid-us.csv");

impl Grid {
    /// The tile a region of the data stands on, by any of its names or codes.
    pub fn find<'a>(&self, keys: impl IntoIterator<Item = &'a str>) -> Option<usize> {
        keys.into_iter().find_map(|k| self.index.find(k))
    }

    /// Rows and columns the grid spans.
    pub fn extent(&self) -> (u32, u32) {
        let rows = self.tiles.iter().map(|t| t.row).max().unwrap_or(0);
        let cols = self.tiles.iter().map(|t| t.col).max().unwrap_or(0);
        (rows, cols)
    }

    /// The tile at a row and column, if one stands there.
    pub fn at(&self, row: u32, col: u32) -> Option<usize> {
        self.tiles.iter().position(|t| t.row == row && t.col == col)
    }
}

/// The grids known, China's first.
pub fn grids() -> Result<Vec<Grid>> {
    Ok(vec![china()?, us()?])
}

/// A grid file's rows as (key column, abbreviation, name, row, col).
fn rows(path: &str, text: &str) -> Result<Vec<(String, Tile)>> {
    let bad = |why: String| Error::Usage(format!("{path}: {why}"));
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let field = |i: usize| rec.get(i).unwrap_or("").trim().to_owned();
        let number = |i: usize| {
            field(i)
                .parse::<u32>()
                .map_err(|_| bad(format!("{:?} is not a row or column", field(i))))
        };
        let tile = Tile {
            abbr: field(1),
            name: field(2),
            row: number(3)?,
            col: number(4)?,
        };
        out.push((field(0), tile));
    }
    Ok(out)
}

/// China's grid: each tile's GB/T 2260 code finds the bundled region, whose names,
/// codes and aliases all find the tile.
fn china() -> Result<Grid> {
    let infos = bundled::regions(Dataset::default())?;
    let mut index = RegionIndex::default();
    let mut tiles = Vec::new();
    for (i, (code, tile)) in rows("data/grid-china.csv", CHINA)?.into_iter().enumerate() {
        let info = infos.iter().find(|r| r.code == code).ok_or_else(|| {
            Error::Usage(format!(
                "data/grid-china.csv: code {code} is no region of data/regions.csv"
            ))
        })?;
        for key in info.keys() {
            index.add(key, i);
        }
        index.add(tile.abbr.to_lowercase().into(), i);
        tiles.push(tile);
    }
    Ok(Grid {
        name: "china",
        what: "provinces of mainland China",
        keys_said: "English or Chinese name, GB/T 2260 or ISO code, or alias",
        tiles,
        index,
    })
}

/// The US grid: a state by name, postal abbreviation or FIPS code (with or without its
/// leading zero).
fn us() -> Result<Grid> {
    let mut index = RegionIndex::default();
    let mut tiles = Vec::new();
    for (i, (fips, tile)) in rows("data/grid-us.csv", US)?.into_iter().enumerate() {
        let short = fips.trim_start_matches('0');
        for key in [&fips[..], short, &tile.abbr, &tile.name] {
            index.add(key.to_lowercase().into(), i);
        }
        tiles.push(tile);
    }
    Ok(Grid {
        name: "us",
        what: "US states and DC",
        keys_said: "name, postal abbreviation or FIPS code",
        tiles,
        index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_grid_has_its_regions_once_and_no_two_on_one_square() {
        let grids = grids().unwrap();
        assert_eq!(grids[0].tiles.len(), 31);
        assert_eq!(grids[1].tiles.len(), 51);
        for g in &grids {
            let mut squares: Vec<(u32, u32)> = g.tiles.iter().map(|t| (t.row, t.col)).collect();
            squares.sort();
            squares.dedup();
            assert_eq!(squares.len(), g.tiles.len(), "{}", g.name);
        }
    }

    #[test]
    fn regions_find_their_tiles_by_any_name_or_code() {
        let grids = grids().unwrap();
        let china = &grids[0];
        let jilin = china.find(["吉林省"]).unwrap();
        assert_eq!(china.tiles[jilin].abbr, "JL");
        assert_eq!(china.find(["220000"]), Some(jilin));
        assert_eq!(china.find(["CN-JL"]), Some(jilin));
        assert_eq!(china.find(["Jilin Province"]), Some(jilin));
        assert_eq!(china.tiles[china.find(["Peking"]).unwrap()].abbr, "BJ");
        let us = &grids[1];
        let ca = us.find(["06"]).unwrap();
        assert_eq!(us.tiles[ca].name, "California");
        assert_eq!(us.find(["6"]), Some(ca));
        assert_eq!(us.find(["ca"]), Some(ca));
        assert_eq!(us.find(["Puerto Rico"]), None);
    }
}
