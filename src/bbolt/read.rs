//! Reading a database: the meta page bbolt would choose, the root bucket's buckets and their
//! pairs, and `Tx.Check`'s integrity errors. Every page id, offset and length is checked
//! against the file: a damaged or forged file gives an error, never a panic, and a tree that
//! loops is caught.
//!
//! Error texts are bbolt's where bbolt has one (`invalid database`, `version mismatch`,
//! `checksum error`, `file size too small`, `page N: unreachable unfreed`...). Where bbolt
//! reads past its map and the Go program crashes, this says which page is damaged.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// A pair of a bucket. `bucket`: the pair is a nested bucket (its value is the bucket's
/// header; bbolt's `ForEach` passes it with a nil value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    pub key: &'a [u8],
    pub value: &'a [u8],
    pub bucket: bool,
}

/// An open database.
#[derive(Clone, Debug)]
pub struct Db<'a> {
    data: &'a [u8],
    page_size: usize,
    root: u64,
    freelist: u64,
    /// The high-water mark: pages below it belong to the database.
    pgid: u64,
}

/// What a valid meta page says.
struct Meta {
    page_size: usize,
    root: u64,
    freelist: u64,
    pgid: u64,
    txid: u64,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The meta page at `at`, or bbolt's reason it is not valid.
fn meta_at(data: &[u8], at: usize) -> Result<Meta, &'static str> {
    let m = at + PAGE_HEADER;
    let invalid = "invalid database";
    if u32_at(data, m).ok_or(invalid)? != MAGIC {
        return Err(invalid);
    }
    if u32_at(data, m + 4).ok_or(invalid)? != VERSION {
        return Err("version mismatch");
    }
    let summed = data.get(m..m + META_SUMMED).ok_or(invalid)?;
    if u64_at(data, m + META_SUMMED).ok_or(invalid)? != fnv64a(summed) {
        return Err("checksum error");
    }
    let field = |off| u64_at(data, m + off).ok_or(invalid);
    Ok(Meta {
        page_size: u32_at(data, m + 8).ok_or(invalid)? as usize,
        root: field(16)?,
        freelist: field(32)?,
        pgid: field(40)?,
        txid: field(48)?,
    })
}

/// A page: its header's fields and its bytes (header first, overflow pages included).
struct Page<'a> {
    id: u64,
    flags: u16,
    count: usize,
    overflow: u32,
    bytes: &'a [u8],
}

impl<'a> Page<'a> {
    fn parse(bytes: &'a [u8]) -> Option<Page<'a>> {
        Some(Page {
            id: u64_at(bytes, 0)?,
            flags: u16_at(bytes, 8)?,
            count: u16_at(bytes, 10)? as usize,
            overflow: u32_at(bytes, 12)?,
            bytes,
        })
    }

    /// The type name bbolt prints.
    fn typ(&self) -> String {
        match self.flags {
            f if f & BRANCH_PAGE != 0 => "branch".into(),
            f if f & LEAF_PAGE != 0 => "leaf".into(),
            f if f & META_PAGE != 0 => "meta".into(),
            f if f & FREELIST_PAGE != 0 => "freelist".into(),
            f => format!("unknown<{f:02x}>"),
        }
    }

    /// Leaf element `i`: (flags, key, value).
    fn leaf(&self, i: usize) -> Option<(u32, &'a [u8], &'a [u8])> {
        let at = PAGE_HEADER + ELEMENT * i;
        let flags = u32_at(self.bytes, at)?;
        let pos = u32_at(self.bytes, at + 4)? as usize;
        let ksize = u32_at(self.bytes, at + 8)? as usize;
        let vsize = u32_at(self.bytes, at + 12)? as usize;
        let k = at.checked_add(pos)?;
        let v = k.checked_add(ksize)?;
        let end = v.checked_add(vsize)?;
        Some((flags, self.bytes.get(k..v)?, self.bytes.get(v..end)?))
    }

    /// Branch element `i`: (key, child page).
    fn branch(&self, i: usize) -> Option<(&'a [u8], u64)> {
        let at = PAGE_HEADER + ELEMENT * i;
        let pos = u32_at(self.bytes, at)? as usize;
        let ksize = u32_at(self.bytes, at + 4)? as usize;
        let child = u64_at(self.bytes, at + 8)?;
        let k = at.checked_add(pos)?;
        Some((self.bytes.get(k..k.checked_add(ksize)?)?, child))
    }
}

/// Deeper than any real tree (bbolt's fanout makes 8 levels hold far more than a file can).
const MAX_DEPTH: usize = 64;

impl<'a> Db<'a> {
    /// Opens a database as bbolt opens one read-only.
    pub fn open(data: &'a [u8]) -> Result<Db<'a>, String> {
        if data.len() < 0x1000 {
            return Err("invalid database".into());
        }
        let meta0 = meta_at(data, 0);
        let page_size = match &meta0 {
            Ok(m) if (1024..=1 << 20).contains(&m.page_size) && m.page_size.is_power_of_two() => {
                m.page_size
            }
            Ok(_) => return Err("invalid database".into()),
            Err(_) => PAGE_SIZE,
        };
        if data.len() < page_size * 2 {
            return Err("file size too small".into());
        }
        let meta1 = meta_at(data, page_size);
        let m = match (meta0, meta1) {
            (Err(e), Err(_)) => return Err(e.into()),
            (Ok(a), Ok(b)) => {
                if b.txid > a.txid {
                    b
                } else {
                    a
                }
            }
            (Ok(a), Err(_)) => a,
            (Err(_), Ok(b)) => b,
        };
        if m.page_size != page_size {
            return Err("invalid database".into());
        }
        Ok(Db {
            data,
            page_size,
            root: m.root,
            freelist: m.freelist,
            pgid: m.pgid,
        })
    }

    /// The database's size as bbolt reports it (`Tx.Size`: high-water mark × page size).
    pub fn size(&self) -> u64 {
        self.pgid.saturating_mul(self.page_size as u64)
    }

    pub fn page_size(&self) -> usize {
        self.page_size
    }

    fn page(&self, id: u64) -> Result<Page<'a>, String> {
        let damaged = || format!("page {id}: out of the file ({} bytes)", self.data.len());
        let at = usize::try_from(id)
            .ok()
            .and_then(|i| i.checked_mul(self.page_size))
            .filter(|&at| at < self.data.len())
            .ok_or_else(damaged)?;
        let head = Page::parse(&self.data[at..]).ok_or_else(damaged)?;
        let span = (head.overflow as usize + 1).saturating_mul(self.page_size);
        let end = at.checked_add(span).ok_or_else(damaged)?;
        let bytes = self.data.get(at..end).ok_or_else(damaged)?;
        Ok(Page { bytes, ..head })
    }

    /// Visits the pages of the tree rooted at `root` (each with its depth), parents first.
    fn walk(
        &self,
        root: u64,
        seen: &mut BTreeSet<u64>,
        f: &mut dyn FnMut(&Page<'a>) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut stack = vec![(root, 0usize)];
        while let Some((id, depth)) = stack.pop() {
            if depth > MAX_DEPTH || !seen.insert(id) {
                return Err(format!("page {id}: the tree loops back to it"));
            }
            let p = self.page(id)?;
            f(&p)?;
            if p.flags & BRANCH_PAGE != 0 {
                for i in (0..p.count).rev() {
                    let (_, child) = p
                        .branch(i)
                        .ok_or_else(|| format!("page {id}: element {i} is out of the page"))?;
                    stack.push((child, depth + 1));
                }
            }
        }
        Ok(())
    }

    /// The pairs of a leaf page (its own, or a bucket's inline page), in order.
    fn leaf_pairs(p: &Page<'a>, out: &mut Vec<Entry<'a>>) -> Result<(), String> {
        for i in 0..p.count {
            let (flags, key, value) = p
                .leaf(i)
                .ok_or_else(|| format!("page {}: element {i} is out of the page", p.id))?;
            out.push(Entry {
                key,
                value,
                bucket: flags & BUCKET_LEAF != 0,
            });
        }
        Ok(())
    }

    /// The pairs of the bucket whose value (header, maybe an inline page) is `value`; None
    /// for the root bucket.
    fn bucket_pairs(&self, value: Option<&'a [u8]>) -> Result<Vec<Entry<'a>>, String> {
        let mut out = Vec::new();
        let root = match value {
            None => self.root,
            Some(v) => {
                let root = u64_at(v, 0).ok_or("a bucket header is cut short")?;
                if root == 0 {
                    let inline = v.get(BUCKET_HEADER..).unwrap_or(&[]);
                    let p = Page::parse(inline).ok_or("an inline bucket is cut short")?;
                    Self::leaf_pairs(&p, &mut out)?;
                    return Ok(out);
                }
                root
            }
        };
        self.walk(root, &mut BTreeSet::new(), &mut |p| {
            if p.flags & LEAF_PAGE != 0 {
                Self::leaf_pairs(p, &mut out)?;
            } else if p.flags & BRANCH_PAGE == 0 {
                return Err(format!("page {}: invalid type: {}", p.id, p.typ()));
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The root bucket's pairs: the buckets (`bucket` set) and any plain pair.
    pub fn root(&self) -> Result<Vec<Entry<'a>>, String> {
        self.bucket_pairs(None)
    }

    /// The pairs of bucket `name`, in key order; None if there is no such bucket.
    pub fn bucket(&self, name: &[u8]) -> Result<Option<Vec<Entry<'a>>>, String> {
        match self.root()?.into_iter().find(|e| e.key == name) {
            Some(e) if e.bucket => self.bucket_pairs(Some(e.value)).map(Some),
            _ => Ok(None),
        }
    }

    /// The pairs of a nested bucket given its entry in the parent.
    pub fn nested(&self, e: &Entry<'a>) -> Result<Vec<Entry<'a>>, String> {
        self.bucket_pairs(Some(e.value))
    }

    /// The pages a bucket's tree uses (none for an inline bucket), and its nested buckets'.
    fn reach(
        &self,
        value: Option<&'a [u8]>,
        reachable: &mut BTreeMap<u64, u64>,
        freed: &BTreeSet<u64>,
        errors: &mut Vec<String>,
    ) -> Result<(), String> {
        let root = match value {
            None => self.root,
            Some(v) => u64_at(v, 0).ok_or("a bucket header is cut short")?,
        };
        if root == 0 {
            return Ok(());
        }
        let pgid = self.pgid;
        self.walk(root, &mut BTreeSet::new(), &mut |p| {
            if p.id > pgid {
                errors.push(format!("page {}: out of bounds: {}", p.id, pgid));
            }
            for i in 0..=u64::from(p.overflow) {
                let id = p.id.saturating_add(i);
                if reachable.insert(id, p.id).is_some() {
                    errors.push(format!("page {id}: multiple references"));
                }
            }
            if freed.contains(&p.id) {
                errors.push(format!("page {}: reachable freed", p.id));
            } else if p.flags & (BRANCH_PAGE | LEAF_PAGE) == 0 {
                errors.push(format!("page {}: invalid type: {}", p.id, p.typ()));
            }
            Ok(())
        })?;
        for e in self.bucket_pairs(value)? {
            if e.bucket {
                self.reach(Some(e.value), reachable, freed, errors)?;
            }
        }
        Ok(())
    }

    /// The free pages: the freelist page's ids, or (no freelist written) every page the tree
    /// does not reach, as bbolt computes them.
    fn free_pages(&self) -> Result<Vec<u64>, String> {
        if self.freelist != NO_FREELIST {
            let p = self.page(self.freelist)?;
            let (mut at, mut count) = (PAGE_HEADER, p.count);
            if count == 0xFFFF {
                count = u64_at(p.bytes, at)
                    .and_then(|c| usize::try_from(c).ok())
                    .ok_or_else(|| format!("page {}: the freelist is cut short", p.id))?;
                at += 8;
            }
            let mut ids = Vec::with_capacity(count.min(p.bytes.len() / 8));
            for i in 0..count {
                ids.push(
                    u64_at(p.bytes, at + 8 * i)
                        .ok_or_else(|| format!("page {}: the freelist is cut short", p.id))?,
                );
            }
            return Ok(ids);
        }
        let mut reachable = BTreeMap::new();
        let mut errors = Vec::new();
        self.reach(None, &mut reachable, &BTreeSet::new(), &mut errors)?;
        if let Some(e) = errors.into_iter().next() {
            return Err(e);
        }
        Ok((2..self.pgid)
            .filter(|i| !reachable.contains_key(i))
            .collect())
    }

    /// bbolt's `Tx.Check`: every page below the high-water mark reachable once or free. The
    /// errors found (empty: the file is sound); Err: the file is too damaged to walk.
    pub fn check(&self) -> Result<Vec<String>, String> {
        if self.pgid > (self.data.len() / self.page_size) as u64 {
            return Err(format!(
                "the file holds {} pages where its meta page counts {}",
                self.data.len() / self.page_size,
                self.pgid
            ));
        }
        let mut errors = Vec::new();
        let mut freed = BTreeSet::new();
        for id in self.free_pages()? {
            if !freed.insert(id) {
                errors.push(format!("page {id}: already freed"));
            }
        }
        let mut reachable: BTreeMap<u64, u64> = BTreeMap::new();
        reachable.insert(0, 0);
        reachable.insert(1, 1);
        if self.freelist != NO_FREELIST {
            let p = self.page(self.freelist)?;
            for i in 0..=u64::from(p.overflow) {
                reachable.insert(self.freelist.saturating_add(i), self.freelist);
            }
        }
        self.reach(None, &mut reachable, &freed, &mut errors)?;
        for i in 0..self.pgid {
            if !reachable.contains_key(&i) && !freed.contains(&i) {
                errors.push(format!("page {i}: unreachable unfreed"));
            }
        }
        Ok(errors)
    }
}
