//! The patience line diff over numbered lines: lines are compared as dense numbers (one per
//! distinct line); the lines that occur once on each side, found by counting into a table
//! indexed by number, are matched in order (the longest run of them kept in the same order on
//! both sides, by patience sorting) and anchor the diff; `similar`'s Myers diffs the gaps
//! between anchors, through its own compaction and replace hooks. Where the unique lines keep
//! their order (any edit but a move), that is `similar`'s patience diff operation for
//! operation; where they cross, either side of the crossing may be kept. (Large inputs with
//! almost nothing in common, for which `similar` has a shortcut of its own, are handed to it.)
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
    ///
    /// An open-addressing table of numbers (one word per slot) finds each key's number: a
    /// fraction of the memory of a map of keys, and one hash and mostly one probe per line.
    pub fn new<K: std::hash::Hash + Eq>(
        old: impl ExactSizeIterator<Item = K>,
        new: impl ExactSizeIterator<Item = K>,
    ) -> Numbered {
        use std::hash::BuildHasher as _;
        let (old_len, new_len) = (old.len(), new.len());
        let size = ((old_len + new_len) * 3 / 2 + 16).next_power_of_two();
        let mask = size - 1;
        // Number + 1 in each used slot, 0 in a free one.
        let mut table = vec![0u32; size];
        let mut keys: Vec<K> = Vec::with_capacity(old_len.max(new_len));
        let state = foldhash::fast::RandomState::default();
        let mut number = |key: K| -> u32 {
            // Truncation intended: the low bits pick the slot.
            #[allow(clippy::cast_possible_truncation)]
            let mut slot = state.hash_one(&key) as usize & mask;
            loop {
                let id = table[slot];
                if id == 0 {
                    let id = u32::try_from(keys.len()).unwrap_or(u32::MAX - 1);
                    keys.push(key);
                    table[slot] = id + 1;
                    return id;
                }
                if keys[(id - 1) as usize] == key {
                    return id - 1;
                }
                slot = (slot + 1) & mask;
            }
        };
        let mut out = Numbered {
            old: Vec::with_capacity(old_len),
            new: Vec::with_capacity(new_len),
            distinct: 0,
        };
        out.old.extend(old.map(&mut number));
        out.new.extend(new.map(&mut number));
        out.distinct = keys.len();
        out
    }

    /// A diffing of slices of these lines, with its own counting tables.
    pub fn differ(&self) -> Differ {
        Differ {
            counts: vec![0; self.distinct],
            positions: vec![0; self.distinct],
        }
    }
}

/// Up to this many lines on a side, `similar` never takes its shortcut for inputs with almost
/// nothing in common (and neither when the first or the last lines are equal).
const SHORTCUT_MIN_LEN: usize = 512;
/// … nor when more lines than this of the newer side occur in the older one.
const SHORTCUT_MAX_COMMON: usize = 64;

/// Whether `similar` could take its shortcut for nearly disjoint inputs here.
fn might_take_shortcut(old: &[u32], new: &[u32]) -> bool {
    old.len() >= SHORTCUT_MIN_LEN
        && new.len() >= SHORTCUT_MIN_LEN
        && old.first() != new.first()
        && old.last() != new.last()
}

/// Diffs slices of numbered lines, reusing its tables (all zero between diffs).
pub struct Differ {
    /// Occurrences of each number: on the older side in the low two bits, on the newer side in
    /// the next two, saturating at two.
    counts: Vec<u8>,
    /// Where a line unique on the older side is.
    positions: Vec<u32>,
}

impl Differ {
    /// The operations of the patience diff of `old` and `new` (numbers below the numbering's
    /// `distinct`), compacted and with replacements, as `similar::capture_diff_slices` gives
    /// them.
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
        let anchors = self.anchors(old, new);
        let (mut old_at, mut new_at) = (0, 0);
        for (old_anchor, new_anchor) in anchors {
            // Equal lines after the previous anchor run on; the rest of the gap is diffed.
            let (old_from, new_from) = (old_at, new_at);
            while old_at < old_anchor && new_at < new_anchor && old[old_at] == new[new_at] {
                old_at += 1;
                new_at += 1;
            }
            if old_at > old_from {
                d.equal(old_from, new_from, old_at - old_from)?;
            }
            myers::diff(
                &mut NoFinishHook::new(&mut *d),
                old,
                old_at..old_anchor,
                new,
                new_at..new_anchor,
            )?;
            (old_at, new_at) = (old_anchor, new_anchor);
        }
        myers::diff(d, old, old_at..old.len(), new, new_at..new.len())
    }

    /// The lines unique on both sides that stay in order, as (older, newer) positions: the
    /// longest such run, found by patience sorting.
    fn anchors(&mut self, old: &[u32], new: &[u32]) -> Vec<(usize, usize)> {
        for (i, &n) in old.iter().enumerate() {
            let c = &mut self.counts[n as usize];
            *c = (*c & !3) | ((*c & 3) + 1).min(2);
            self.positions[n as usize] = u32::try_from(i).unwrap_or(u32::MAX);
        }
        for &n in new {
            let c = &mut self.counts[n as usize];
            *c = (*c & 3) | (((*c >> 2) + 1).min(2) << 2);
        }
        // In the newer side's order, the older position of each line unique on both sides.
        let matched: Vec<(u32, u32)> = new
            .iter()
            .enumerate()
            .filter(|&(_, &n)| self.counts[n as usize] == 0b0101)
            .map(|(j, &n)| (self.positions[n as usize], u32::try_from(j).unwrap_or(u32::MAX)))
            .collect();
        for &n in old.iter().chain(new) {
            self.counts[n as usize] = 0;
        }
        // Piles of increasing older positions: `tops[k]` is the match ending the best run of
        // length k + 1 found so far; each match remembers the one before it in its run.
        let mut tops: Vec<u32> = Vec::new();
        let mut before: Vec<u32> = Vec::with_capacity(matched.len());
        for (k, &(i, _)) in matched.iter().enumerate() {
            let pile = tops.partition_point(|&t| matched[t as usize].0 < i);
            before.push(if pile == 0 { u32::MAX } else { tops[pile - 1] });
            let k = u32::try_from(k).unwrap_or(u32::MAX);
            if pile == tops.len() {
                tops.push(k);
            } else {
                tops[pile] = k;
            }
        }
        let mut out = Vec::with_capacity(tops.len());
        let mut at = tops.last().copied().unwrap_or(u32::MAX);
        while at != u32::MAX {
            let (i, j) = matched[at as usize];
            out.push((i as usize, j as usize));
            at = before[at as usize];
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ops_of(old: &[u32], new: &[u32]) -> Vec<DiffOp> {
        let distinct = old.iter().chain(new).max().map_or(0, |m| *m as usize + 1);
        Numbered {
            old: Vec::new(),
            new: Vec::new(),
            distinct,
        }
        .differ()
        .ops(old, new)
    }

    /// Whether the lines unique on both sides come in the same order on both: then the run of
    /// anchors is the only longest one, and the diff is `similar`'s.
    fn unique_lines_keep_their_order(old: &[u32], new: &[u32]) -> bool {
        let once = |lines: &[u32], n: u32| lines.iter().filter(|&&m| m == n).count() == 1;
        let common =
            |a: &[u32], b: &[u32]| -> Vec<u32> { a.iter().copied().filter(|&n| once(a, n) && once(b, n)).collect() };
        common(old, new) == common(new, old)
    }

    /// The ops cover both sides in order, without gaps, and equal ops join equal lines.
    fn check_script(old: &[u32], new: &[u32], ops: &[DiffOp]) -> Result<(), TestCaseError> {
        let (mut i, mut j) = (0, 0);
        for op in ops {
            prop_assert_eq!((op.old_range().start, op.new_range().start), (i, j), "{:?}", ops);
            if let DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = *op
            {
                prop_assert_eq!(&old[old_index..old_index + len], &new[new_index..new_index + len]);
            }
            (i, j) = (op.old_range().end, op.new_range().end);
        }
        prop_assert_eq!((i, j), (old.len(), new.len()));
        Ok(())
    }

    fn check(old: &[u32], new: &[u32]) -> Result<(), TestCaseError> {
        let ops = ops_of(old, new);
        check_script(old, new, &ops)?;
        let reference = similar::capture_diff_slices(similar::Algorithm::Patience, old, new);
        if unique_lines_keep_their_order(old, new) {
            prop_assert_eq!(&ops, &reference);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// An edit script of the two sides, `similar`'s patience diff where the unique lines
        /// keep their order; on few distinct lines (many repeated, few unique) and on many.
        #[test]
        fn the_ops_are_similars(old in prop::collection::vec(0u32..6, 0..80), new in prop::collection::vec(0u32..6, 0..80)) {
            check(&old, &new)?;
        }

        #[test]
        fn the_ops_are_similars_with_unique_lines(old in prop::collection::vec(0u32..200, 0..120), new in prop::collection::vec(0u32..200, 0..120)) {
            check(&old, &new)?;
        }

        /// Long inputs with a few edits (moves among them), and long inputs with almost
        /// nothing in common (an edit script there, see below).
        #[test]
        fn the_ops_are_similars_on_long_inputs(
            old in prop::collection::vec(0u32..5000, 500..1500),
            edits in prop::collection::vec((0usize..1500, 0u32..5000, 0u8..4), 0..20),
            disjoint in any::<bool>(),
        ) {
            let mut new: Vec<u32> = if disjoint { old.iter().map(|n| n + 5000).collect() } else { old.clone() };
            for (at, value, kind) in edits {
                let at = at.min(new.len());
                match kind {
                    0 => new.insert(at, value),
                    1 if at < new.len() => { new.remove(at); }
                    2 if at + 10 < new.len() => {
                        let moved: Vec<u32> = new.drain(at..at + 10).collect();
                        new.extend(moved);
                    }
                    _ if at < new.len() => new[at] = value,
                    _ => {}
                }
            }
            if disjoint {
                // Almost nothing in common: `similar` drops lone matches there as noise, where a
                // patience diff anchors on them; both are edit scripts.
                check_script(&old, &new, &ops_of(&old, &new))?;
            } else {
                check(&old, &new)?;
            }
        }
    }

    #[test]
    fn a_crossing_keeps_the_longer_run_in_order() {
        // 1 2 3 4 5 → 4 5 1 2 3: three unique lines stay in order, two move.
        let ops = ops_of(&[1, 2, 3, 4, 5], &[4, 5, 1, 2, 3]);
        let kept: usize = ops
            .iter()
            .filter(|op| matches!(op, DiffOp::Equal { .. }))
            .map(|op| op.old_range().len())
            .sum();
        assert_eq!(kept, 3, "{ops:?}");
    }

    #[test]
    fn lines_are_numbered_by_key() {
        let n = Numbered::new(["a", "b", "a"].into_iter(), ["b", "c"].into_iter());
        assert_eq!((n.old, n.new, n.distinct), (vec![0, 1, 0], vec![1, 2], 3));
        // Many keys: equal keys, equal numbers; distinct keys, distinct numbers.
        let old: Vec<String> = (0..5000).map(|i| format!("line {}", i % 3001)).collect();
        let new: Vec<String> = (0..4000).map(|i| format!("line {}", i * 7 % 4500)).collect();
        let n = Numbered::new(old.iter(), new.iter());
        let all: Vec<&String> = old.iter().chain(&new).collect();
        let numbers: Vec<u32> = n.old.iter().chain(&n.new).copied().collect();
        let mut seen = std::collections::HashMap::new();
        for (line, number) in all.iter().zip(&numbers) {
            assert_eq!(*seen.entry(*line).or_insert(*number), *number);
        }
        assert_eq!(seen.len(), n.distinct);
        let distinct: std::collections::HashSet<u32> = numbers.iter().copied().collect();
        assert_eq!(distinct.len(), n.distinct);
        assert!(numbers.iter().all(|&x| (x as usize) < n.distinct));
    }
}
