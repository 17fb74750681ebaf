//! The patience line diff over numbered lines: lines are compared as dense numbers (one per
//! distinct line), lines that occur once on each side are found by counting into a table
//! indexed by number, and `similar`'s Myers aligns them and fills the gaps between them. The
//! operations are those of `similar`'s patience diff of the same lines, without its hashing.
use similar::DiffOp;
use similar::algorithms::{Capture, Compact, DiffHook, NoFinishHook, Replace, myers};

/// Lines numbered so that equal lines get equal numbers, below [`Numbered::distinct`].
#[derive(Debug, Clone, Default)]
pub struct Numbered {
    pub old: Vec<u32>,
    pub new: Vec<u32>,
    /// How many different numbers there are.
    pub distinct: usize,
}

impl Numbered {
    /// Numbers the lines of both sides by `key` (equal keys, equal numbers).
    pub fn new<K: std::hash::Hash + Eq>(
        old: impl ExactSizeIterator<Item = K>,
        new: impl ExactSizeIterator<Item = K>,
    ) -> Numbered {
        let (old_len, new_len) = (old.len(), new.len());
        let mut numbers: std::collections::HashMap<K, u32, foldhash::fast::RandomState> =
            std::collections::HashMap::with_capacity_and_hasher(
                old_len.max(new_len),
                foldhash::fast::RandomState::default(),
            );
        let mut number = |key: K| {
            let next = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
            *numbers.entry(key).or_insert(next)
        };
        let mut out = Numbered {
            old: Vec::with_capacity(old_len),
            new: Vec::with_capacity(new_len),
            distinct: 0,
        };
        out.old.extend(old.map(&mut number));
        out.new.extend(new.map(&mut number));
        out.distinct = numbers.len();
        out
    }

    /// A diffing of slices of these lines, with its own counting table.
    pub fn differ(&self) -> Differ {
        Differ {
            counts: vec![0; self.distinct],
        }
    }
}

/// Diffs slices of numbered lines, reusing one counting table (all zero between diffs).
pub struct Differ {
    counts: Vec<u8>,
}

/// Up to this many lines on a side, `similar` never takes its shortcut for inputs with almost
/// nothing in common (and neither when the first or the last lines are equal).
const SHORTCUT_MIN_LEN: usize = 512;
/// … nor when more lines than this of the newer side occur in the older one.
const SHORTCUT_MAX_COMMON: usize = 64;

impl Differ {
    /// The operations of the patience diff of `old` and `new` (numbers below the numbering's
    /// `distinct`), compacted and with replacements, as `similar::capture_diff_slices` gives
    /// them with `Algorithm::Patience`.
    pub fn ops(&mut self, old: &[u32], new: &[u32]) -> Vec<DiffOp> {
        if might_take_shortcut(old, new) && self.common_lines(old, new) <= SHORTCUT_MAX_COMMON {
            // Large and nearly disjoint: `similar` decides this case its own way.
            return similar::capture_diff_slices(similar::Algorithm::Patience, old, new);
        }
        let mut d = Compact::new(Replace::new(Capture::new()), old, new);
        let Ok(()) = self.patience(&mut d, old, new);
        d.into_inner().into_inner().into_ops()
    }

    /// Lines of `new` that occur in `old`.
    fn common_lines(&mut self, old: &[u32], new: &[u32]) -> usize {
        for &n in old {
            self.counts[n as usize] = 1;
        }
        let common = new.iter().filter(|&&n| self.counts[n as usize] != 0).count();
        for &n in old {
            self.counts[n as usize] = 0;
        }
        common
    }

    fn patience<D: DiffHook>(&mut self, d: &mut D, old: &[u32], new: &[u32]) -> Result<(), D::Error> {
        if old.is_empty() || new.is_empty() {
            if !new.is_empty() {
                d.insert(0, 0, new.len())?;
            } else if !old.is_empty() {
                d.delete(0, old.len(), 0)?;
            }
            return d.finish();
        }
        if old == new {
            d.equal(0, 0, old.len())?;
            return d.finish();
        }
        // Where each side's unique lines are: counted in the low bits for the older side, the
        // next two for the newer, saturating at two.
        for &n in old {
            let c = &mut self.counts[n as usize];
            *c = (*c & !3) | ((*c & 3) + 1).min(2);
        }
        for &n in new {
            let c = &mut self.counts[n as usize];
            *c = (*c & 3) | ((((*c >> 2) + 1).min(2)) << 2);
        }
        let unique = |lines: &[u32], shift: u8, counts: &[u8]| -> Vec<usize> {
            (0..lines.len())
                .filter(|&i| (counts[lines[i] as usize] >> shift) & 3 == 1)
                .collect()
        };
        let old_unique = unique(old, 0, &self.counts);
        let new_unique = unique(new, 2, &self.counts);
        for &n in old.iter().chain(new) {
            self.counts[n as usize] = 0;
        }
        let old_values: Vec<u32> = old_unique.iter().map(|&i| old[i]).collect();
        let new_values: Vec<u32> = new_unique.iter().map(|&j| new[j]).collect();
        let mut anchored = Replace::new(Anchored {
            d,
            old,
            new,
            old_at: 0,
            new_at: 0,
            old_unique: &old_unique,
            new_unique: &new_unique,
        });
        myers::diff(
            &mut anchored,
            &old_values,
            0..old_values.len(),
            &new_values,
            0..new_values.len(),
        )
    }
}

/// Whether `similar` could take its shortcut for nearly disjoint inputs here.
fn might_take_shortcut(old: &[u32], new: &[u32]) -> bool {
    old.len() >= SHORTCUT_MIN_LEN
        && new.len() >= SHORTCUT_MIN_LEN
        && old.first() != new.first()
        && old.last() != new.last()
}

/// Matched unique lines (from Myers over the unique lines alone) are anchors: equal lines
/// after the previous anchor run on, and the rest of each gap is diffed with Myers.
struct Anchored<'a, D> {
    d: &'a mut D,
    old: &'a [u32],
    new: &'a [u32],
    old_at: usize,
    new_at: usize,
    old_unique: &'a [usize],
    new_unique: &'a [usize],
}

impl<D: DiffHook> DiffHook for Anchored<'_, D> {
    type Error = D::Error;

    fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), D::Error> {
        for (o, n) in (old..old + len).zip(new..new + len) {
            let (old_anchor, new_anchor) = (self.old_unique[o], self.new_unique[n]);
            let (old_from, new_from) = (self.old_at, self.new_at);
            while self.old_at < old_anchor && self.new_at < new_anchor && self.old[self.old_at] == self.new[self.new_at]
            {
                self.old_at += 1;
                self.new_at += 1;
            }
            if self.old_at > old_from {
                self.d.equal(old_from, new_from, self.old_at - old_from)?;
            }
            myers::diff(
                &mut NoFinishHook::new(&mut *self.d),
                self.old,
                self.old_at..old_anchor,
                self.new,
                self.new_at..new_anchor,
            )?;
            self.old_at = old_anchor;
            self.new_at = new_anchor;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), D::Error> {
        myers::diff(
            self.d,
            self.old,
            self.old_at..self.old.len(),
            self.new,
            self.new_at..self.new.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ops_of(old: &[u32], new: &[u32]) -> Vec<DiffOp> {
        let distinct = old.iter().chain(new).max().map_or(0, |m| *m as usize + 1);
        Differ {
            counts: vec![0; distinct],
        }
        .ops(old, new)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// The same operations as `similar`'s patience diff, on few distinct lines (many
        /// repeated, few unique) and on many.
        #[test]
        fn the_ops_are_similars(old in prop::collection::vec(0u32..6, 0..80), new in prop::collection::vec(0u32..6, 0..80)) {
            prop_assert_eq!(ops_of(&old, &new), similar::capture_diff_slices(similar::Algorithm::Patience, &old, &new));
        }

        #[test]
        fn the_ops_are_similars_with_unique_lines(old in prop::collection::vec(0u32..200, 0..120), new in prop::collection::vec(0u32..200, 0..120)) {
            prop_assert_eq!(ops_of(&old, &new), similar::capture_diff_slices(similar::Algorithm::Patience, &old, &new));
        }

        /// Long inputs with a few edits, and long inputs with almost nothing in common (where
        /// `similar` may take its shortcut).
        #[test]
        fn the_ops_are_similars_on_long_inputs(
            old in prop::collection::vec(0u32..5000, 500..1500),
            edits in prop::collection::vec((0usize..1500, 0u32..5000, 0u8..3), 0..20),
            disjoint in any::<bool>(),
        ) {
            let mut new = if disjoint { old.iter().map(|n| n + 5000).collect() } else { old.clone() };
            for (at, value, kind) in edits {
                let at = at.min(new.len());
                match kind {
                    0 => new.insert(at, value),
                    1 if at < new.len() => { new.remove(at); }
                    _ if at < new.len() => new[at] = value,
                    _ => {}
                }
            }
            prop_assert_eq!(ops_of(&old, &new), similar::capture_diff_slices(similar::Algorithm::Patience, &old, &new));
        }
    }

    #[test]
    fn lines_are_numbered_by_key() {
        let n = Numbered::new(["a", "b", "a"].into_iter(), ["b", "c"].into_iter());
        assert_eq!((n.old, n.new, n.distinct), (vec![0, 1, 0], vec![1, 2], 3));
    }
}
