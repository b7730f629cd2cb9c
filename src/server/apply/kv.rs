//! The key-value requests as etcd's `applierV3backend` executes them (`etcdserver/apply.go`):
//! range (limit + 1 to compute `more`, the min/max revision filters, sort target and order),
//! put (`prev_kv`, `ignore_value`, `ignore_lease`), delete-range (`prev_kvs`), and txn
//! (compares evaluated on the state before the txn, the branch chosen for every nested txn up
//! front, checks of every chosen op, then every op in one write transaction).
//!
//! Owns: nothing. Must not touch: auth (checked before), watchers (fed by the caller).

use std::cmp::Ordering;

use crate::api::{
    errors, Compare, CompareResult, CompareTarget, DeleteRangeRequest, DeleteRangeResponse,
    EtcdError, KeyValue, PutRequest, PutResponse, RangeRequest, RangeResponse, RequestOp,
    ResponseHeader, ResponseOp, SortOrder, SortTarget, TxnRequest, TxnResponse,
};
use crate::lease::Lessor;
use crate::mvcc::{KvStore, RangeEnd, RangeOptions, RangeResult, TxnWrite};

/// Something ranges can be read from: the store, or an open write transaction.
pub trait ReadView {
    fn range(
        &self,
        key: &[u8],
        end: RangeEnd<'_>,
        ro: RangeOptions,
    ) -> Result<RangeResult, EtcdError>;
    fn rev(&self) -> i64;
    fn first_rev(&self) -> i64;
}

impl ReadView for KvStore {
    fn range(
        &self,
        key: &[u8],
        end: RangeEnd<'_>,
        ro: RangeOptions,
    ) -> Result<RangeResult, EtcdError> {
        KvStore::range(self, key, end, ro).map_err(EtcdError::from)
    }
    fn rev(&self) -> i64 {
        KvStore::rev(self)
    }
    fn first_rev(&self) -> i64 {
        self.first_rev()
    }
}

impl ReadView for TxnWrite<'_> {
    fn range(
        &self,
        key: &[u8],
        end: RangeEnd<'_>,
        ro: RangeOptions,
    ) -> Result<RangeResult, EtcdError> {
        TxnWrite::range(self, key, end, ro).map_err(EtcdError::from)
    }
    fn rev(&self) -> i64 {
        TxnWrite::rev(self)
    }
    fn first_rev(&self) -> i64 {
        self.store().first_rev()
    }
}

fn hdr(rev: i64) -> ResponseHeader {
    ResponseHeader {
        revision: rev,
        ..ResponseHeader::default()
    }
}

fn sort_key_cmp(target: SortTarget, a: &KeyValue, b: &KeyValue) -> Ordering {
    match target {
        SortTarget::Key => a.key.cmp(&b.key),
        SortTarget::Version => a.version.cmp(&b.version),
        SortTarget::Create => a.create_revision.cmp(&b.create_revision),
        SortTarget::Mod => a.mod_revision.cmp(&b.mod_revision),
        SortTarget::Value => a.value.cmp(&b.value),
    }
}

/// etcd's `Range`.
pub fn range(view: &impl ReadView, r: &RangeRequest) -> Result<RangeResponse, EtcdError> {
    let mut limit = r.limit;
    if r.sort_order != SortOrder::None
        || r.min_mod_revision != 0
        || r.max_mod_revision != 0
        || r.min_create_revision != 0
        || r.max_create_revision != 0
    {
        limit = 0;
    }
    if limit > 0 {
        limit = limit.saturating_add(1);
    }
    let ro = RangeOptions {
        limit,
        rev: r.revision,
        count: r.count_only,
        // Values are dropped after sorting (as etcd does), so a sort by value needs them.
        keys_only: r.keys_only && r.sort_target != SortTarget::Value,
    };
    let mut rr = view.range(&r.key, RangeEnd::from_request(&r.range_end), ro)?;
    if r.max_mod_revision != 0 {
        rr.kvs.retain(|kv| kv.mod_revision <= r.max_mod_revision);
    }
    if r.min_mod_revision != 0 {
        rr.kvs.retain(|kv| kv.mod_revision >= r.min_mod_revision);
    }
    if r.max_create_revision != 0 {
        rr.kvs
            .retain(|kv| kv.create_revision <= r.max_create_revision);
    }
    if r.min_create_revision != 0 {
        rr.kvs
            .retain(|kv| kv.create_revision >= r.min_create_revision);
    }
    let mut order = r.sort_order;
    if r.sort_target != SortTarget::Key && order == SortOrder::None {
        order = SortOrder::Ascend;
    }
    match order {
        SortOrder::None => {}
        SortOrder::Ascend => go_sort::sort(&mut rr.kvs, |a, b| {
            sort_key_cmp(r.sort_target, a, b) == Ordering::Less
        }),
        SortOrder::Descend => go_sort::sort(&mut rr.kvs, |a, b| {
            sort_key_cmp(r.sort_target, b, a) == Ordering::Less
        }),
    }
    let mut more = false;
    if r.limit > 0 {
        let lim = usize::try_from(r.limit).unwrap_or(usize::MAX);
        if rr.kvs.len() > lim {
            rr.kvs.truncate(lim);
            more = true;
        }
    }
    if r.keys_only {
        for kv in rr.kvs.iter_mut() {
            kv.value = Vec::new();
        }
    }
    Ok(RangeResponse {
        header: hdr(rr.rev),
        kvs: rr.kvs,
        more,
        count: rr.count,
    })
}

/// etcd's `Put` inside a write transaction. The lease (if any) must exist: callers check.
pub fn put(
    txn: &mut TxnWrite<'_>,
    lessor: &mut Lessor,
    p: &PutRequest,
) -> Result<PutResponse, EtcdError> {
    let mut val: std::borrow::Cow<'_, [u8]> = std::borrow::Cow::Borrowed(&p.value);
    let mut lease = p.lease;
    let mut prev: Option<KeyValue> = None;
    if p.ignore_value || p.ignore_lease || p.prev_kv {
        let rr = txn.range(&p.key, RangeEnd::Single, RangeOptions::default())?;
        prev = rr.kvs.into_iter().next();
    }
    if p.ignore_value || p.ignore_lease {
        let Some(pk) = prev.as_ref() else {
            return Err(errors::key_not_found());
        };
        if p.ignore_value {
            val = std::borrow::Cow::Owned(pk.value.clone());
        }
        if p.ignore_lease {
            lease = pk.lease;
        }
    }
    let rev = txn.put(&p.key, &val, lease);
    lessor.detach_key(&p.key);
    if lease != 0 {
        // Checked before the transaction; a missing lease leaves the key unattached.
        let _ = lessor.attach(lease, &p.key);
    }
    Ok(PutResponse {
        header: hdr(rev),
        prev_kv: if p.prev_kv { prev } else { None },
    })
}

/// etcd's `DeleteRange` inside a write transaction.
pub fn delete_range(
    txn: &mut TxnWrite<'_>,
    lessor: &mut Lessor,
    d: &DeleteRangeRequest,
) -> Result<DeleteRangeResponse, EtcdError> {
    let end = RangeEnd::from_request(&d.range_end);
    let mut prev_kvs = Vec::new();
    let keys: Vec<Vec<u8>> = {
        let rr = txn.range(&d.key, end, RangeOptions::default())?;
        let keys = rr.kvs.iter().map(|kv| kv.key.clone()).collect();
        if d.prev_kv {
            prev_kvs = rr.kvs;
        }
        keys
    };
    let (deleted, rev) = txn.delete_range(&d.key, end);
    for k in &keys {
        lessor.detach_key(k);
    }
    Ok(DeleteRangeResponse {
        header: hdr(rev),
        deleted,
        prev_kvs,
    })
}

fn compare_kv(c: &Compare, kv: &KeyValue) -> bool {
    let ord = match &c.target {
        CompareTarget::Value(v) => kv.value.as_slice().cmp(v.as_slice()),
        CompareTarget::Create(r) => kv.create_revision.cmp(r),
        CompareTarget::Mod(r) => kv.mod_revision.cmp(r),
        CompareTarget::Version(r) => kv.version.cmp(r),
        CompareTarget::Lease(r) => kv.lease.cmp(r),
    };
    match c.result {
        CompareResult::Equal => ord == Ordering::Equal,
        CompareResult::NotEqual => ord != Ordering::Equal,
        CompareResult::Greater => ord == Ordering::Greater,
        CompareResult::Less => ord == Ordering::Less,
    }
}

/// etcd's `applyCompare`: every key in the range must satisfy the compare; a missing key
/// compares as an empty key-value, except that a value compare on no key fails.
pub fn apply_compare(view: &impl ReadView, c: &Compare) -> bool {
    let Ok(rr) = view.range(
        &c.key,
        RangeEnd::from_request(&c.range_end),
        RangeOptions::default(),
    ) else {
        return false;
    };
    if rr.kvs.is_empty() {
        if matches!(c.target, CompareTarget::Value(_)) {
            return false;
        }
        return compare_kv(c, &KeyValue::default());
    }
    rr.kvs.iter().all(|kv| compare_kv(c, kv))
}

/// Which branch a txn and each nested txn of the chosen branch take (etcd's `txnPath`).
#[derive(Clone, Debug)]
pub struct TxnPath {
    pub succeeded: bool,
    /// One entry per nested txn of the chosen branch, in order.
    pub nested: Vec<TxnPath>,
}

pub fn compare_to_path(view: &impl ReadView, t: &TxnRequest) -> TxnPath {
    let succeeded = t.compare.iter().all(|c| apply_compare(view, c));
    let ops = if succeeded { &t.success } else { &t.failure };
    let nested = ops
        .iter()
        .filter_map(|op| match op {
            RequestOp::Txn(n) => Some(compare_to_path(view, n)),
            _ => None,
        })
        .collect();
    TxnPath { succeeded, nested }
}

/// Whether a txn writes nothing in any branch (etcd's `isTxnReadonly`).
pub fn is_txn_readonly(t: &TxnRequest) -> bool {
    t.success.iter().chain(t.failure.iter()).all(|op| match op {
        RequestOp::Range(_) => true,
        RequestOp::Txn(n) => is_txn_readonly(n),
        _ => false,
    })
}

/// etcd's `checkRequests` with `checkRequestPut` (when `puts`) and `checkRequestRange`.
pub fn check_requests(
    view: &impl ReadView,
    lessor: &Lessor,
    t: &TxnRequest,
    path: &TxnPath,
    puts: bool,
) -> Result<(), EtcdError> {
    let ops = if path.succeeded {
        &t.success
    } else {
        &t.failure
    };
    let mut nested = path.nested.iter();
    for op in ops {
        match op {
            RequestOp::Txn(n) => {
                if let Some(p) = nested.next() {
                    check_requests(view, lessor, n, p, puts)?;
                }
            }
            RequestOp::Put(p) if puts => {
                if p.ignore_value || p.ignore_lease {
                    let rr = view.range(&p.key, RangeEnd::Single, RangeOptions::default())?;
                    if rr.kvs.is_empty() {
                        return Err(errors::key_not_found());
                    }
                }
                if p.lease != 0 && lessor.lookup(p.lease).is_none() {
                    return Err(errors::lease_not_found());
                }
            }
            RequestOp::Range(r) if !puts => {
                if r.revision != 0 {
                    if r.revision > view.rev() {
                        return Err(errors::future_rev());
                    }
                    if r.revision < view.first_rev() {
                        return Err(errors::compacted());
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// etcd's `applyTxn`: runs the chosen branch's ops in `txn`. Nested txn responses carry an
/// empty header, as etcd leaves them.
pub fn apply_txn(
    txn: &mut TxnWrite<'_>,
    lessor: &mut Lessor,
    t: &TxnRequest,
    path: &TxnPath,
) -> Result<TxnResponse, EtcdError> {
    let ops = if path.succeeded {
        &t.success
    } else {
        &t.failure
    };
    let mut nested = path.nested.iter();
    let mut responses = Vec::with_capacity(ops.len());
    for op in ops {
        let resp = match op {
            RequestOp::Range(r) => ResponseOp::Range(range(&*txn, r)?),
            RequestOp::Put(p) => ResponseOp::Put(put(txn, lessor, p)?),
            RequestOp::DeleteRange(d) => ResponseOp::DeleteRange(delete_range(txn, lessor, d)?),
            RequestOp::Txn(n) => {
                let p = nested.next().cloned().unwrap_or(TxnPath {
                    succeeded: false,
                    nested: Vec::new(),
                });
                ResponseOp::Txn(apply_txn(txn, lessor, n, &p)?)
            }
        };
        responses.push(resp);
    }
    Ok(TxnResponse {
        header: ResponseHeader::default(),
        succeeded: path.succeeded,
        responses,
    })
}

/// A read-only txn (only ranges, in every branch) answered from a read view.
pub fn read_txn(
    view: &impl ReadView,
    t: &TxnRequest,
    path: &TxnPath,
) -> Result<TxnResponse, EtcdError> {
    let ops = if path.succeeded {
        &t.success
    } else {
        &t.failure
    };
    let mut nested = path.nested.iter();
    let mut responses = Vec::with_capacity(ops.len());
    for op in ops {
        match op {
            RequestOp::Range(r) => responses.push(ResponseOp::Range(range(view, r)?)),
            RequestOp::Txn(n) => {
                let p = nested.next().cloned().unwrap_or(TxnPath {
                    succeeded: false,
                    nested: Vec::new(),
                });
                responses.push(ResponseOp::Txn(read_txn(view, n, &p)?));
            }
            RequestOp::Put(_) | RequestOp::DeleteRange(_) => return Err(errors::not_capable()),
        }
    }
    Ok(TxnResponse {
        header: ResponseHeader::default(),
        succeeded: path.succeeded,
        responses,
    })
}

/// Go's `sort.Sort` (pdqsort, Go 1.19+), so that results with equal sort keys come out in the
/// order etcd prints them: insertion sort up to 12 elements, pattern-defeating quicksort
/// beyond.
pub mod go_sort {
    /// Sorts `v` with Go 1.19's unstable algorithm (the Go etcd 3.4.23 was built with);
    /// `less` is Go's `Less(i, j)`.
    pub fn sort<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
        let n = v.len();
        if n < 2 {
            return;
        }
        let limit = usize::BITS - n.leading_zeros();
        pdqsort(v, &less, 0, n, limit as usize);
    }

    fn insertion_sort<T>(v: &mut [T], less: &impl Fn(&T, &T) -> bool, a: usize, b: usize) {
        for i in a + 1..b {
            let mut j = i;
            while j > a && less(&v[j], &v[j - 1]) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
    }

    fn sift_down<T>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        lo: usize,
        hi: usize,
        first: usize,
    ) {
        let mut root = lo;
        loop {
            let mut child = 2 * root + 1;
            if child >= hi {
                return;
            }
            if child + 1 < hi && less(&v[first + child], &v[first + child + 1]) {
                child += 1;
            }
            if !less(&v[first + root], &v[first + child]) {
                return;
            }
            v.swap(first + root, first + child);
            root = child;
        }
    }

    fn heap_sort<T>(v: &mut [T], less: &impl Fn(&T, &T) -> bool, a: usize, b: usize) {
        let first = a;
        let lo = 0;
        let hi = b - a;
        let mut i = (hi - 1) / 2;
        loop {
            sift_down(v, less, i, hi, first);
            if i == 0 {
                break;
            }
            i -= 1;
        }
        let mut i = hi - 1;
        while i > 0 {
            v.swap(first, first + i);
            sift_down(v, less, lo, i, first);
            i -= 1;
        }
    }

    fn pdqsort<T>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        mut a: usize,
        mut b: usize,
        mut limit: usize,
    ) {
        const MAX_INSERTION: usize = 12;
        let mut was_balanced = true;
        let mut was_partitioned = true;
        loop {
            let length = b - a;
            if length <= MAX_INSERTION {
                insertion_sort(v, less, a, b);
                return;
            }
            if limit == 0 {
                heap_sort(v, less, a, b);
                return;
            }
            if !was_balanced {
                break_patterns(v, a, b);
                limit -= 1;
            }
            let (mut pivot, mut hint) = choose_pivot(v, less, a, b);
            if hint == Hint::Decreasing {
                reverse_range(v, a, b);
                pivot = (b - 1) - (pivot - a);
                hint = Hint::Increasing;
            }
            if was_balanced
                && was_partitioned
                && hint == Hint::Increasing
                && partial_insertion_sort(v, less, a, b)
            {
                return;
            }
            if a > 0 && !less(&v[a - 1], &v[pivot]) {
                let mid = partition_equal(v, less, a, b, pivot);
                a = mid;
                continue;
            }
            let (mid, already) = partition(v, less, a, b, pivot);
            was_partitioned = already;
            let (left_len, right_len) = (mid - a, b - mid);
            let balance_threshold = length / 8;
            if left_len < right_len {
                was_balanced = left_len >= balance_threshold;
                pdqsort(v, less, a, mid, limit);
                a = mid + 1;
            } else {
                was_balanced = right_len >= balance_threshold;
                pdqsort(v, less, mid + 1, b, limit);
                b = mid;
            }
        }
    }

    fn partition<T>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
        pivot: usize,
    ) -> (usize, bool) {
        v.swap(a, pivot);
        let (mut i, mut j) = (a + 1, b - 1);
        while i <= j && less(&v[i], &v[a]) {
            i += 1;
        }
        while i <= j && !less(&v[j], &v[a]) {
            j -= 1;
        }
        if i > j {
            v.swap(j, a);
            return (j, true);
        }
        v.swap(i, j);
        i += 1;
        j -= 1;
        loop {
            while i <= j && less(&v[i], &v[a]) {
                i += 1;
            }
            while i <= j && !less(&v[j], &v[a]) {
                j -= 1;
            }
            if i > j {
                break;
            }
            v.swap(i, j);
            i += 1;
            j -= 1;
        }
        v.swap(j, a);
        (j, false)
    }

    fn partition_equal<T>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
        pivot: usize,
    ) -> usize {
        v.swap(a, pivot);
        let (mut i, mut j) = (a + 1, b - 1);
        loop {
            while i <= j && !less(&v[a], &v[i]) {
                i += 1;
            }
            while i <= j && less(&v[a], &v[j]) {
                j -= 1;
            }
            if i > j {
                break;
            }
            v.swap(i, j);
            i += 1;
            j -= 1;
        }
        i
    }

    fn partial_insertion_sort<T>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
    ) -> bool {
        const MAX_STEPS: usize = 5;
        const SHORTEST_SHIFTING: usize = 50;
        let mut i = a + 1;
        for _ in 0..MAX_STEPS {
            while i < b && !less(&v[i], &v[i - 1]) {
                i += 1;
            }
            if i == b {
                return true;
            }
            if b - a < SHORTEST_SHIFTING {
                return false;
            }
            v.swap(i, i - 1);
            if i - a >= 2 {
                let mut j = i - 1;
                while j >= 1 {
                    if !less(&v[j], &v[j - 1]) {
                        break;
                    }
                    v.swap(j, j - 1);
                    j -= 1;
                }
            }
            if b - i >= 2 {
                let mut j = i + 1;
                while j < b {
                    if !less(&v[j], &v[j - 1]) {
                        break;
                    }
                    v.swap(j, j - 1);
                    j += 1;
                }
            }
        }
        false
    }

    fn break_patterns<T>(v: &mut [T], a: usize, b: usize) {
        let length = b - a;
        if length >= 8 {
            let mut random = length as u64;
            // Go's nextPowerOfTwo: 1 << bits.Len(length) (so 16 gives 32).
            let modulus = 1u64 << (u64::BITS - (length as u64).leading_zeros());
            let idx = a + (length / 4) * 2 - 1;
            for i in 0..3 {
                random ^= random << 13;
                random ^= random >> 17;
                random ^= random << 5;
                let mut other = (random & (modulus - 1)) as usize;
                if other >= length {
                    other -= length;
                }
                v.swap(idx - 1 + i, a + other);
            }
        }
    }

    #[derive(PartialEq, Eq, Clone, Copy)]
    enum Hint {
        Unknown,
        Increasing,
        Decreasing,
    }

    fn choose_pivot<T>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
    ) -> (usize, Hint) {
        const SHORTEST_NINTHER: usize = 50;
        const MAX_SWAPS: usize = 4 * 3;
        let l = b - a;
        let mut swaps = 0usize;
        let mut i = a + l / 4;
        let mut j = a + l / 4 * 2;
        let mut k = a + l / 4 * 3;
        if l >= 8 {
            if l >= SHORTEST_NINTHER {
                i = median_adjacent(v, less, i, &mut swaps);
                j = median_adjacent(v, less, j, &mut swaps);
                k = median_adjacent(v, less, k, &mut swaps);
            }
            j = median(v, less, i, j, k, &mut swaps);
        }
        match swaps {
            0 => (j, Hint::Increasing),
            MAX_SWAPS => (j, Hint::Decreasing),
            _ => (j, Hint::Unknown),
        }
    }

    fn order2<T>(
        v: &[T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
        swaps: &mut usize,
    ) -> (usize, usize) {
        if less(&v[b], &v[a]) {
            *swaps += 1;
            return (b, a);
        }
        (a, b)
    }

    fn median<T>(
        v: &[T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
        c: usize,
        swaps: &mut usize,
    ) -> usize {
        let (a, b) = order2(v, less, a, b, swaps);
        let (b, c) = order2(v, less, b, c, swaps);
        let (_a, b) = order2(v, less, a, b, swaps);
        let _ = c;
        b
    }

    fn median_adjacent<T>(
        v: &[T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        swaps: &mut usize,
    ) -> usize {
        median(v, less, a - 1, a, a + 1, swaps)
    }

    fn reverse_range<T>(v: &mut [T], a: usize, b: usize) {
        v[a..b].reverse();
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn sorts_like_a_sort() {
            let mut seed = 12345u64;
            for n in [0usize, 1, 5, 12, 13, 40, 51, 200, 1000] {
                let mut v: Vec<u32> = (0..n)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        (seed >> 40) as u32 % 50
                    })
                    .collect();
                let mut w = v.clone();
                sort(&mut v, |a, b| a < b);
                w.sort();
                assert_eq!(v, w);
                let mut d: Vec<u32> = (0..n as u32).rev().collect();
                sort(&mut d, |a, b| a < b);
                assert!(d.windows(2).all(|p| p[0] <= p[1]));
            }
        }
    }
}
