//! Calendar dates without a date library: ISO `YYYY-MM-DD` ↔ days since 1970-01-01.
//!
//! Howard Hinnant's `days_from_civil` algorithm, proleptic Gregorian; enough for campaign dates and
//! exact, so output dates never depend on a time-zone database.

/// Days since 1970-01-01 of the date `y-m-d`, or `None` when it is not a real date.
pub(crate) fn epoch_day(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `YYYY-MM-DD` of a day since 1970-01-01.
pub(crate) fn iso_date(epoch_day: i64) -> String {
    let z = epoch_day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses `YYYY-MM-DD` into days since 1970-01-01.
pub(crate) fn parse_iso_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.get(..2)?.parse().ok()?;
    if text.trim().len() != 10 {
        return None;
    }
    epoch_day(y, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_round_trip() {
        assert_eq!(epoch_day(1970, 1, 1), Some(0));
        assert_eq!(parse_iso_date("2016-11-05"), Some(17_110));
        assert_eq!(iso_date(17_110), "2016-11-05");
        assert_eq!(iso_date(17_110 + 365), "2017-11-05");
        assert_eq!(parse_iso_date("2016-02-30"), None);
        assert_eq!(parse_iso_date("2016-13-01"), None);
        assert_eq!(parse_iso_date("soon"), None);
        for d in -700_000..800_000 {
            if d % 997 == 0 {
                assert_eq!(parse_iso_date(&iso_date(d)), Some(d));
            }
        }
    }
}
