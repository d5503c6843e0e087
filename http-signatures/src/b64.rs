//! Standard base64 (RFC 4648 §4: `+/`, padded) decoding into a caller buffer, for the hot
//! path (signatures, digests). Accepts exactly what the `base64` crate's `STANDARD` engine
//! accepts — canonical padding, no trailing bits, no whitespace — with the same output
//! (checked by the proptest below); the crate still encodes and serves cold paths.

/// Why [`decode_into`] failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum B64Error {
    /// Not canonical padded standard base64.
    Invalid,
    /// Valid, but decodes to more bytes than the output holds.
    TooSmall,
}

const BAD: u32 = 1 << 31;

/// `TABLES[k][c]`: the 6-bit value of `c` shifted into place for position `k` of a quad, or
/// `BAD` when `c` is not in the alphabet (so one OR per quad collects validity).
const TABLES: [[u32; 256]; 4] = {
    let mut t = [[BAD; 256]; 4];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        let c = alphabet[i] as usize;
        let v = i as u32;
        t[0][c] = v << 18;
        t[1][c] = v << 12;
        t[2][c] = v << 6;
        t[3][c] = v;
        i += 1;
    }
    t
};

/// The 24 bits of a quad, or a value with `BAD` set.
#[inline]
fn quad(q: &[u8]) -> u32 {
    match q {
        [a, b, c, d] => {
            TABLES[0][usize::from(*a)]
                | TABLES[1][usize::from(*b)]
                | TABLES[2][usize::from(*c)]
                | TABLES[3][usize::from(*d)]
        }
        _ => BAD,
    }
}

/// Decodes `input` into the front of `out`; returns the decoded length.
pub(crate) fn decode_into(input: &[u8], out: &mut [u8]) -> Result<usize, B64Error> {
    if input.is_empty() {
        return Ok(0);
    }
    if !input.len().is_multiple_of(4) {
        return Err(B64Error::Invalid);
    }
    let (body, last) = input.split_at(input.len() - 4);
    let pad = match last {
        [_, _, b'=', b'='] => 2,
        [_, _, _, b'='] => 1,
        _ => 0,
    };
    let len = input.len() / 4 * 3 - pad;
    let out = out.get_mut(..len).ok_or(B64Error::TooSmall)?;
    let (out_body, out_last) = out.split_at_mut(body.len() / 4 * 3);
    let mut bad = 0;
    // Four quads (twelve bytes) per step, then the rest one quad at a time.
    let mut blocks = body.chunks_exact(16);
    let mut outs = out_body.chunks_exact_mut(12);
    for (q, o) in (&mut blocks).zip(&mut outs) {
        let (q01, q23) = q.split_at(8);
        let (q0, q1) = q01.split_at(4);
        let (q2, q3) = q23.split_at(4);
        let (a, b, c, d) = (quad(q0), quad(q1), quad(q2), quad(q3));
        bad |= a | b | c | d;
        let (o01, o23) = o.split_at_mut(6);
        o01.copy_from_slice(&(u64::from(a) << 24 | u64::from(b)).to_be_bytes()[2..]);
        o23.copy_from_slice(&(u64::from(c) << 24 | u64::from(d)).to_be_bytes()[2..]);
    }
    for (q, o) in blocks
        .remainder()
        .chunks_exact(4)
        .zip(outs.into_remainder().chunks_exact_mut(3))
    {
        let v = quad(q);
        bad |= v;
        o.copy_from_slice(&v.to_be_bytes()[1..]);
    }
    // The last quad: padding becomes `A` (zero bits), whose bits must then be zero too.
    let mut q = [0u8; 4];
    q.copy_from_slice(last);
    let spare_mask = match pad {
        2 => {
            q[2] = b'A';
            q[3] = b'A';
            0xffff
        }
        1 => {
            q[3] = b'A';
            0xff
        }
        _ => 0,
    };
    let v = quad(&q);
    bad |= v;
    if bad & BAD != 0 || v & spare_mask != 0 {
        return Err(B64Error::Invalid);
    }
    for (o, b) in out_last.iter_mut().zip(&v.to_be_bytes()[1..]) {
        *o = *b;
    }
    Ok(len)
}

/// Decodes `input` into a new vector sized exactly.
pub(crate) fn decode_vec(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; input.len() / 4 * 3];
    let n = decode_into(input, &mut out).ok()?;
    out.truncate(n);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    fn theirs(input: &[u8]) -> Option<Vec<u8>> {
        STANDARD.decode(input).ok()
    }

    #[test]
    fn decodes_and_rejects() {
        assert_eq!(decode_vec(b""), Some(vec![]));
        assert_eq!(decode_vec(b"AA=="), Some(vec![0]));
        assert_eq!(decode_vec(b"AAE="), Some(vec![0, 1]));
        assert_eq!(decode_vec(b"AAEC"), Some(vec![0, 1, 2]));
        assert_eq!(decode_vec(b"+/+/"), Some(vec![0xfb, 0xff, 0xbf]));
        for bad in [
            &b"AB=="[..],
            b"AAF=",
            b"A===",
            b"====",
            b"AA",
            b"AA=A",
            b"A=AA",
            b"AA==AAAA",
            b"AA-_",
            b"AA A",
            b"AAAA\n",
        ] {
            assert_eq!(decode_vec(bad), None, "{}", String::from_utf8_lossy(bad));
            assert_eq!(theirs(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        let mut small = [0u8; 2];
        assert_eq!(decode_into(b"AAEC", &mut small), Err(B64Error::TooSmall));
        assert_eq!(decode_into(b"AAE=", &mut small), Ok(2));
    }

    proptest! {
        #[test]
        fn agrees_with_the_base64_crate_on_encodings(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let text = STANDARD.encode(&bytes);
            prop_assert_eq!(decode_vec(text.as_bytes()), Some(bytes));
        }

        #[test]
        fn agrees_with_the_base64_crate_on_any_text(text in "[A-Da-d0-3+/=\\-_ ]{0,16}") {
            prop_assert_eq!(decode_vec(text.as_bytes()), theirs(text.as_bytes()), "{}", text);
        }

        #[test]
        fn agrees_on_mutated_encodings(
            bytes in proptest::collection::vec(any::<u8>(), 1..40),
            at in any::<usize>(),
            with in prop_oneof![Just(b'='), Just(b'A'), Just(b'/'), Just(b'B'), Just(b'\n'), any::<u8>()],
        ) {
            let mut text = STANDARD.encode(&bytes).into_bytes();
            let i = at % text.len();
            text[i] = with;
            prop_assert_eq!(decode_vec(&text), theirs(&text), "{}", String::from_utf8_lossy(&text));
        }
    }
}
