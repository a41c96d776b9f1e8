//! Lining two sequences up: which elements of `a` correspond to which of
//! `b`, in order (a common subsequence), in near-linear time.
//!
//! Elements are interned ids, so comparing two is one integer compare.
//! Common ends are matched first; a short stretch is then aligned exactly
//! (Myers, through `similar`); a long one is anchored on the elements that
//! are rare on both sides (first those that occur once on each side, as in
//! patience diff; failing that, a few times), and the stretches between the
//! anchors are aligned the same way. A work budget proportional to the
//! input bounds the total: when it runs out, what is left is left unmatched
//! (shown as replaced), so a complete rewrite of a 200,000-word paragraph
//! costs about as much per word as a one-word edit.

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// An interned element: equal ids are equal elements.
pub type Id = u32;

/// How exact an alignment must be: stretches with at most this many
/// elements on both sides together are aligned exactly (a minimal edit),
/// which costs up to their square; longer ones are anchored.
#[derive(Debug, Clone, Copy)]
pub struct Exact(pub usize);

/// For alignments shown to readers: the words of a changed block.
pub const SHOWN: Exact = Exact(64);
/// For alignments only counted (how much two stretches have in common).
pub const COUNTED: Exact = Exact(24);
/// Elements that occur at most this often on each side can anchor a long
/// stretch when no element occurs exactly once on both.
const RARE: u32 = 8;
/// The work allowed per element of the input (element visits), and a floor.
const WORK_PER_ELEMENT: usize = 48;
const WORK_FLOOR: usize = 128 * 128 * 4;

/// Scratch space indexed by id, reused across calls so that counting the
/// elements of a stretch costs its length, not the alphabet's size.
#[derive(Debug, Default)]
pub struct Scratch {
    /// The generation each id's counts belong to; older counts are zero.
    stamp: Vec<u32>,
    count_a: Vec<u32>,
    count_b: Vec<u32>,
    generation: u32,
    /// `length`'s bit masks, kept for the next call.
    masks: Vec<u64>,
}

impl Scratch {
    /// Starts a new count over ids below `alphabet`.
    fn reset(&mut self, alphabet: usize) {
        if self.stamp.len() < alphabet {
            self.stamp.resize(alphabet, 0);
            self.count_a.resize(alphabet, 0);
            self.count_b.resize(alphabet, 0);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
    }

    fn touch(&mut self, id: Id) -> usize {
        let i = id as usize;
        if self.stamp[i] != self.generation {
            self.stamp[i] = self.generation;
            self.count_a[i] = 0;
            self.count_b[i] = 0;
        }
        i
    }

    fn counts(&self, id: Id) -> (u32, u32) {
        let i = id as usize;
        if self.stamp[i] == self.generation {
            (self.count_a[i], self.count_b[i])
        } else {
            (0, 0)
        }
    }
}

/// One more than the largest id in `a` and `b`: how far the scratch's
/// counts must reach.
fn alphabet(a: &[Id], b: &[Id]) -> usize {
    a.iter()
        .chain(b)
        .map(|&id| id as usize + 1)
        .max()
        .unwrap_or(0)
}

/// The matched pairs `(i, j)` (`a[i] == b[j]`), increasing in both.
pub fn matches(a: &[Id], b: &[Id], exact: Exact, scratch: &mut Scratch) -> Vec<(usize, usize)> {
    let alphabet = alphabet(a, b);
    let mut budget = WORK_FLOOR + WORK_PER_ELEMENT * (a.len() + b.len());
    let mut found: Vec<(usize, usize)> = Vec::new();
    // Stretches still to align: (a_start, a_end, b_start, b_end).
    let mut stack = vec![(0, a.len(), 0, b.len())];
    while let Some((mut alo, mut ahi, mut blo, mut bhi)) = stack.pop() {
        while alo < ahi && blo < bhi && a[alo] == b[blo] {
            found.push((alo, blo));
            alo += 1;
            blo += 1;
        }
        while alo < ahi && blo < bhi && a[ahi - 1] == b[bhi - 1] {
            ahi -= 1;
            bhi -= 1;
            found.push((ahi, bhi));
        }
        let (n, m) = (ahi - alo, bhi - blo);
        if n == 0 || m == 0 {
            continue;
        }
        if n + m <= exact.0 {
            let cost = (n + m) * (n + m);
            if budget >= cost {
                budget -= cost;
                align_exactly(&a[alo..ahi], &b[blo..bhi], alo, blo, &mut found);
            }
            continue;
        }
        // Counting a stretch costs its length; a second count for the rarer
        // fallback costs as much again.
        let mut anchors = Vec::new();
        for limit in [1, RARE] {
            if budget < 4 * (n + m) {
                break;
            }
            budget -= n + m;
            anchors = self::anchors(a, b, (alo, ahi), (blo, bhi), limit, scratch, alphabet)
                .unwrap_or_default();
            if !anchors.is_empty() {
                break;
            }
        }
        // The stretches between anchors (and before the first, after the last).
        let (mut i, mut j) = (alo, blo);
        for &(ai, bj) in &anchors {
            stack.push((i, ai, j, bj));
            found.push((ai, bj));
            (i, j) = (ai + 1, bj + 1);
        }
        if !anchors.is_empty() {
            stack.push((i, ahi, j, bhi));
        }
    }
    found.sort_unstable();
    found
}

/// How many elements `a` and `b` have in common regardless of order (the
/// size of their multiset intersection): a bound on any alignment's length.
pub fn shared(a: &[Id], b: &[Id], scratch: &mut Scratch) -> usize {
    let alphabet = alphabet(a, b);
    scratch.reset(alphabet);
    for &id in a {
        let i = scratch.touch(id);
        scratch.count_a[i] = scratch.count_a[i].saturating_add(1);
    }
    let mut same = 0;
    for &id in b {
        let i = scratch.touch(id);
        if scratch.count_a[i] > 0 {
            scratch.count_a[i] -= 1;
            same += 1;
        }
    }
    same
}

/// How many elements of a sequence fall in each of 128 buckets (by a hash
/// of the id): enough to bound, in a few vector instructions, how many
/// elements two sequences have in common, before `shared` counts it.
#[derive(Debug, Clone)]
pub struct Sketch([u16; 128]);

impl Sketch {
    pub fn of(ids: &[Id]) -> Self {
        let mut counts = [0u16; 128];
        for &id in ids {
            let bucket = (id.wrapping_mul(0x9E37_79B1) >> 25) as usize;
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        Sketch(counts)
    }

    /// At least `shared(a, b)` for the sequences the sketches are of: in
    /// each bucket, no more elements can be common than the fewer side has.
    /// (A bucket that saturated counts as unbounded.)
    pub fn bound(&self, other: &Sketch) -> usize {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(&a, &b)| {
                if a.max(b) == u16::MAX {
                    usize::MAX / 256
                } else {
                    usize::from(a.min(b))
                }
            })
            .sum()
    }
}

/// Sequences of up to this many 64-element words on the shorter side get
/// the exact length of their longest common subsequence.
const BIT_WORDS: usize = 8;

/// The length of a longest common subsequence of `a` and `b`: exact when
/// the shorter has at most `64 * BIT_WORDS` elements (computed bit-parallel,
/// as in Hyyrö 2004, in `O(n * m / 64)`), else that of `matches`.
pub fn length(a: &[Id], b: &[Id], scratch: &mut Scratch) -> usize {
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    // With the number of machine words a constant, the loop over them unrolls.
    match b.len().div_ceil(64) {
        0 => 0,
        1 => bit_length::<1>(a, b, scratch),
        2 => bit_length::<2>(a, b, scratch),
        3 | 4 => bit_length::<4>(a, b, scratch),
        words if words <= BIT_WORDS => bit_length::<BIT_WORDS>(a, b, scratch),
        _ => matches(a, b, COUNTED, scratch).len(),
    }
}

/// `length` bit-parallel, for `b` of at most `64 * W` elements.
fn bit_length<const W: usize>(a: &[Id], b: &[Id], scratch: &mut Scratch) -> usize {
    let alphabet = alphabet(a, b);
    scratch.reset(alphabet);
    // For each distinct element of b (its slot, plus one, in count_b): the
    // bits of the positions where it occurs.
    let mut masks = std::mem::take(&mut scratch.masks);
    masks.clear();
    for (j, &id) in b.iter().enumerate() {
        let i = scratch.touch(id);
        if scratch.count_b[i] == 0 {
            masks.resize(masks.len() + W, 0);
            scratch.count_b[i] = (masks.len() / W) as u32;
        }
        let slot = scratch.count_b[i] as usize - 1;
        masks[slot * W + j / 64] |= 1 << (j % 64);
    }
    // v has a 0 bit for each position of b matched so far. (Bits past b's
    // end have no match, so `| (w & !u)` keeps them 1.)
    let mut v = [u64::MAX; W];
    for &id in a {
        let (_, slot) = scratch.counts(id);
        if slot == 0 {
            continue;
        }
        let start = (slot as usize - 1) * W;
        let mask = &masks[start..start + W];
        let mut carry = false;
        for k in 0..W {
            let (w, u) = (v[k], v[k] & mask[k]);
            let (sum, c1) = w.overflowing_add(u);
            let (sum, c2) = sum.overflowing_add(u64::from(carry));
            carry = c1 || c2;
            v[k] = sum | (w & !u);
        }
    }
    scratch.masks = masks;
    v.iter().map(|w| w.count_zeros() as usize).sum()
}

/// A minimal alignment of a short stretch, offset by `(alo, blo)`.
fn align_exactly(a: &[Id], b: &[Id], alo: usize, blo: usize, found: &mut Vec<(usize, usize)>) {
    for op in capture_diff_slices(Algorithm::Myers, a, b) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            found.extend((0..len).map(|k| (alo + old_index + k, blo + new_index + k)));
        }
    }
}

/// The longest chain of pairs `(i, j)`, increasing in both, where `a[i] ==
/// b[j]` is an element occurring at most `limit` times in each stretch.
/// None when the counts cannot be taken (more than `u32::MAX` elements).
fn anchors(
    a: &[Id],
    b: &[Id],
    (alo, ahi): (usize, usize),
    (blo, bhi): (usize, usize),
    limit: u32,
    scratch: &mut Scratch,
    alphabet: usize,
) -> Option<Vec<(usize, usize)>> {
    scratch.reset(alphabet);
    for &id in &a[alo..ahi] {
        let i = scratch.touch(id);
        scratch.count_a[i] = scratch.count_a[i].checked_add(1)?;
    }
    for &id in &b[blo..bhi] {
        let i = scratch.touch(id);
        scratch.count_b[i] = scratch.count_b[i].checked_add(1)?;
    }
    let rare = |id: Id| {
        let (ca, cb) = scratch.counts(id);
        (1..=limit).contains(&ca) && (1..=limit).contains(&cb)
    };
    // Where each rare element occurs in b, grouped by element.
    let mut in_b: Vec<(Id, usize)> = (blo..bhi)
        .filter(|&j| rare(b[j]))
        .map(|j| (b[j], j))
        .collect();
    in_b.sort_unstable();
    // Candidate pairs in order of i, and for one i of decreasing j, so that
    // a chain increasing in j uses each i once.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, &element) in a.iter().enumerate().take(ahi).skip(alo) {
        if !rare(element) {
            continue;
        }
        let start = in_b.partition_point(|&(id, _)| id < element);
        let end = in_b.partition_point(|&(id, _)| id <= element);
        pairs.extend(in_b[start..end].iter().rev().map(|&(_, j)| (i, j)));
    }
    Some(longest_chain(&pairs))
}

/// The longest subsequence of `pairs` strictly increasing in `j` (patience
/// sorting, `O(k log k)`).
fn longest_chain(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: the index in `pairs` of the smallest last j of a chain of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (p, &(_, j)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < j);
        previous[p] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(p);
        } else {
            tails[k] = p;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(p) = at {
        chain.push(pairs[p]);
        at = previous[p];
    }
    chain.reverse();
    chain
}

/// Turns matched pairs into diff operations over `a_len` and `b_len` elements.
pub fn ops(matched: &[(usize, usize)], a_len: usize, b_len: usize) -> Vec<DiffOp> {
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut k = 0;
    while i < a_len || j < b_len {
        let (next_i, next_j) = matched.get(k).copied().unwrap_or((a_len, b_len));
        match (next_i - i, next_j - j) {
            (0, 0) => {}
            (old_len, 0) => ops.push(DiffOp::Delete {
                old_index: i,
                old_len,
                new_index: j,
            }),
            (0, new_len) => ops.push(DiffOp::Insert {
                old_index: i,
                new_index: j,
                new_len,
            }),
            (old_len, new_len) => ops.push(DiffOp::Replace {
                old_index: i,
                old_len,
                new_index: j,
                new_len,
            }),
        }
        if k == matched.len() {
            break;
        }
        // A run of consecutive matches is one Equal.
        let mut len = 1;
        while matched
            .get(k + len)
            .is_some_and(|&(mi, mj)| mi == next_i + len && mj == next_j + len)
        {
            len += 1;
        }
        ops.push(DiffOp::Equal {
            old_index: next_i,
            new_index: next_j,
            len,
        });
        k += len;
        (i, j) = (next_i + len, next_j + len);
    }
    ops
}

/// Hands out ids: the same key always gets the same id. (Hashed with
/// rustc's Fx hash: the keys are words of the site's own text, and SipHash
/// cost more than the whole alignment.)
#[derive(Debug)]
pub struct Interner<K> {
    pub(crate) ids: rustc_hash::FxHashMap<K, Id>,
}

impl<K> Default for Interner<K> {
    fn default() -> Self {
        Self {
            ids: rustc_hash::FxHashMap::default(),
        }
    }
}

impl<K: std::hash::Hash + Eq> Interner<K> {
    pub fn id(&mut self, key: K) -> Id {
        let next = self.ids.len() as Id;
        *self.ids.entry(key).or_insert(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<Id> {
        text.bytes().map(Id::from).collect()
    }

    /// The length of a longest common subsequence, by the textbook table.
    fn lcs_len(a: &[Id], b: &[Id]) -> usize {
        let mut row = vec![0usize; b.len() + 1];
        for &x in a {
            let mut diagonal = 0;
            for (j, &y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y { diagonal + 1 } else { up.max(row[j]) };
                diagonal = up;
            }
        }
        row[b.len()]
    }

    fn check(a: &[Id], b: &[Id]) -> Vec<(usize, usize)> {
        let found = matches(a, b, SHOWN, &mut Scratch::default());
        for w in found.windows(2) {
            assert!(w[0].0 < w[1].0 && w[0].1 < w[1].1, "not increasing: {w:?}");
        }
        for &(i, j) in &found {
            assert_eq!(a[i], b[j]);
        }
        found
    }

    #[test]
    fn short_stretches_are_aligned_exactly() {
        for (a, b) in [
            ("kitten", "sitting"),
            ("abcabba", "cbabac"),
            ("", "abc"),
            ("same", "same"),
        ] {
            let (a, b) = (ids(a), ids(b));
            assert_eq!(check(&a, &b).len(), lcs_len(&a, &b));
        }
    }

    #[test]
    fn long_sequences_with_small_edits_align_as_well_as_exactly() {
        // 2,000 distinct-ish elements, a few edited.
        let a: Vec<Id> = (0..2000).map(|i| (i * 7919 % 1499) as Id).collect();
        let mut b = a.clone();
        b[100] = 9999;
        b.insert(700, 9998);
        b.remove(1500);
        b[1800..1810].reverse();
        let found = check(&a, &b);
        assert_eq!(found.len(), lcs_len(&a, &b));
    }

    #[test]
    fn unrelated_long_sequences_cost_little_and_stay_valid() {
        // Two different texts over a small alphabet: no rare anchors.
        let a: Vec<Id> = (0..200_000).map(|i| (i * 31 % 7) as Id).collect();
        let b: Vec<Id> = (0..200_000).map(|i| (i * 17 % 5) as Id).collect();
        check(&a, &b);
    }

    #[test]
    fn bit_parallel_lengths_are_exact() {
        let mut scratch = Scratch::default();
        // Deterministic pseudo-random sequences over small alphabets, of
        // lengths around the 64-bit word boundaries.
        let mut seed = 7u64;
        let mut next = |modulus: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % modulus) as Id
        };
        for (n, m, alphabet) in [
            (10, 7, 3),
            (63, 64, 4),
            (65, 64, 5),
            (200, 130, 6),
            (40, 511, 20),
            // Two, five and eight machine words on the shorter side.
            (300, 100, 8),
            (600, 300, 12),
            (512, 512, 30),
        ] {
            let a: Vec<Id> = (0..n).map(|_| next(alphabet)).collect();
            let b: Vec<Id> = (0..m).map(|_| next(alphabet)).collect();
            assert_eq!(length(&a, &b, &mut scratch), lcs_len(&a, &b), "{n}x{m}");
        }
        assert_eq!(length(&[], &[1, 2], &mut scratch), 0);
    }

    #[test]
    fn ops_cover_both_sequences() {
        let (a, b) = (ids("abcxdef"), ids("abdyyef"));
        let found = check(&a, &b);
        let ops = ops(&found, a.len(), b.len());
        let (mut old, mut new) = (0, 0);
        for op in &ops {
            assert_eq!(op.old_range().start, old);
            assert_eq!(op.new_range().start, new);
            old = op.old_range().end;
            new = op.new_range().end;
        }
        assert_eq!((old, new), (a.len(), b.len()));
    }

    #[test]
    fn chains_increase_in_both() {
        let pairs = [(0, 5), (1, 1), (1, 0), (2, 2), (3, 9), (4, 3)];
        assert_eq!(longest_chain(&pairs), [(1, 0), (2, 2), (4, 3)]);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// A sketch's bound is never below the true count, whatever the ids
        /// (few distinct ones, so words repeat as they do in text).
        #[test]
        fn sketch_bounds_shared(
            a in proptest::collection::vec(0u32..300, 0..400),
            b in proptest::collection::vec(0u32..300, 0..400),
        ) {
            let mut scratch = Scratch::default();
            prop_assert!(Sketch::of(&a).bound(&Sketch::of(&b)) >= shared(&a, &b, &mut scratch));
        }
    }
}
