//! Running sums of regions: for a group, for the total, for one thread's run.

use super::components::{components, percent};
use super::overflow;
use super::quality::Quality;
use super::result::{Level, Line};
use crate::error::Result;
use crate::panel::{ComponentsKind, Panel};

/// Running sums for a group or the total.
#[derive(Default)]
pub(super) struct Sums {
    from: i64,
    to: i64,
    natural: i64,
    /// Published net migration, summed where the data has it.
    migration: i64,
    regions: usize,
    declined: usize,
    lacking: usize,
    quality: Quality,
}

impl Sums {
    /// Adds the sums of other regions (another run's, or a group's to the total).
    pub(super) fn merge(&mut self, other: &Sums) -> Result<()> {
        let add = |a: i64, b: i64| a.checked_add(b).ok_or_else(|| overflow("a total"));
        self.from = add(self.from, other.from)?;
        self.to = add(self.to, other.to)?;
        self.natural = add(self.natural, other.natural)?;
        self.migration = add(self.migration, other.migration)?;
        self.regions += other.regions;
        self.declined += other.declined;
        self.lacking += other.lacking;
        self.quality.add(&other.quality);
        Ok(())
    }

    /// Counts a region of populations `a` then `b`.
    pub(super) fn add_populations(&mut self, a: i64, b: i64) -> Result<()> {
        self.from = self
            .from
            .checked_add(a)
            .ok_or_else(|| overflow("a total"))?;
        self.to = self.to.checked_add(b).ok_or_else(|| overflow("a total"))?;
        self.regions += 1;
        self.declined += usize::from(b < a);
        Ok(())
    }

    pub(super) fn add(&mut self, line: &Line) -> Result<()> {
        let (Some(a), Some(b)) = (line.pop_from, line.pop_to) else {
            return Ok(());
        };
        self.add_populations(a, b)?;
        self.quality.add(&line.quality);
        match line.components {
            Some(c) => {
                self.natural = self
                    .natural
                    .checked_add(c.natural_increase)
                    .ok_or_else(|| overflow("a total"))?;
                if c.residual.is_some() {
                    self.migration = self
                        .migration
                        .checked_add(c.net_migration)
                        .ok_or_else(|| overflow("a total"))?;
                }
            }
            None => self.lacking += 1,
        }
        Ok(())
    }

    pub(super) fn line<'p>(
        &self,
        level: Level,
        group: Option<&'p str>,
        panel: &Panel,
    ) -> Result<Line<'p>> {
        let components = if panel.components == ComponentsKind::None || self.lacking > 0 {
            None
        } else {
            let published = panel.published_migration.then_some(self.migration);
            Some(components(self.from, self.to, self.natural, published)?)
        };
        let change = self
            .to
            .checked_sub(self.from)
            .ok_or_else(|| overflow("a total"))?;
        // A group none of whose regions has both years has no figures, not zeros.
        let some = |v: i64| (self.regions > 0).then_some(v);
        Ok(Line {
            level,
            region: "",
            region_zh: None,
            group,
            pop_from: some(self.from),
            pop_to: some(self.to),
            change: some(change),
            change_pct: percent(change, self.from).filter(|_| self.regions > 0),
            components,
            regions: self.regions,
            declined: self.declined,
            lacking_components: self.lacking,
            quality: self.quality,
            index: None,
        })
    }
}
