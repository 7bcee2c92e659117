//! Calendar arithmetic on dates: `+ 1 month` from 2025-01-31 is 2025-02-28;
//! working days count Monday to Friday.

use jiff::civil::{Date, Weekday};

use crate::syntax::ast::{Duration, DurationUnit};

/// Longest run of working days stepped one by one; beyond it a duration is
/// out of range (40 years of working days).
const MAX_WORKING_DAYS: u32 = 10_500;

fn span_of(duration: Duration) -> Option<jiff::Span> {
    let count = i64::from(duration.count);
    match duration.unit {
        DurationUnit::Days | DurationUnit::CalendarDays => jiff::Span::new().try_days(count).ok(),
        DurationUnit::Weeks => jiff::Span::new().try_weeks(count).ok(),
        DurationUnit::Months => jiff::Span::new().try_months(count).ok(),
        DurationUnit::Years => jiff::Span::new().try_years(count).ok(),
        DurationUnit::WorkingDays => None,
    }
}

/// `date + duration`, clamped to the end of a shorter month; `None` past
/// the calendar's range.
pub fn add(date: Date, duration: Duration) -> Option<Date> {
    shift(date, false, duration)
}

/// `date - duration`, clamped like [`add`].
pub fn sub(date: Date, duration: Duration) -> Option<Date> {
    shift(date, true, duration)
}

/// `date ± duration`.
pub fn shift(date: Date, minus: bool, duration: Duration) -> Option<Date> {
    if duration.unit == DurationUnit::WorkingDays {
        return working_days(date, minus, duration.count);
    }
    let span = span_of(duration)?;
    if minus {
        date.checked_sub(span).ok()
    } else {
        date.checked_add(span).ok()
    }
}

/// Steps `count` working days (Monday to Friday) from `date`.
fn working_days(mut date: Date, back: bool, count: u32) -> Option<Date> {
    if count > MAX_WORKING_DAYS {
        return None;
    }
    let mut left = count;
    while left > 0 {
        date = if back {
            date.yesterday().ok()?
        } else {
            date.tomorrow().ok()?
        };
        if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    Some(date)
}

/// The last day of a term that starts on `start`: the day before the
/// anniversary (`term 5 years` from 2024-10-01 ends 2029-09-30).
pub fn term_end(start: Date, term: Duration) -> Option<Date> {
    add(start, term)?.yesterday().ok()
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |span| i64::from(span.get_days()))
}

/// Does a notice of `given` before `date` satisfy a duty of `due` before
/// it? Both are turned into the latest date the notice may be given.
pub fn notice_suffices(date: Date, given: Duration, due: Duration) -> bool {
    match (sub(date, given), sub(date, due)) {
        (Some(given_on), Some(due_by)) => given_on <= due_by,
        // A notice reaching before the calendar's start is long enough.
        (None, _) => true,
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;
    use jiff::civil::date;

    fn d(count: u32, unit: DurationUnit) -> Duration {
        Duration {
            count,
            unit,
            span: Span::default(),
        }
    }

    #[test]
    fn month_arithmetic_clamps() {
        assert_eq!(
            add(date(2025, 1, 31), d(1, DurationUnit::Months)),
            Some(date(2025, 2, 28))
        );
        assert_eq!(
            add(date(2024, 2, 29), d(1, DurationUnit::Years)),
            Some(date(2025, 2, 28))
        );
    }

    #[test]
    fn term_ends_the_day_before_the_anniversary() {
        assert_eq!(
            term_end(date(2024, 10, 1), d(5, DurationUnit::Years)),
            Some(date(2029, 9, 30))
        );
    }

    #[test]
    fn deadlines_and_notice() {
        assert_eq!(
            sub(date(2026, 6, 1), d(45, DurationUnit::Days)),
            Some(date(2026, 4, 17))
        );
        assert!(notice_suffices(
            date(2026, 6, 1),
            d(60, DurationUnit::Days),
            d(45, DurationUnit::Days)
        ));
        assert!(notice_suffices(
            date(2026, 6, 1),
            d(45, DurationUnit::Days),
            d(45, DurationUnit::Days)
        ));
        assert!(!notice_suffices(
            date(2026, 6, 1),
            d(30, DurationUnit::Days),
            d(45, DurationUnit::Days)
        ));
        assert!(notice_suffices(
            date(2026, 6, 1),
            d(2, DurationUnit::Months),
            d(45, DurationUnit::Days)
        ));
    }

    #[test]
    fn working_days_skip_weekends() {
        // Wednesday 2026-06-10 less 10 working days is Wednesday 2026-05-27.
        assert_eq!(
            sub(date(2026, 6, 10), d(10, DurationUnit::WorkingDays)),
            Some(date(2026, 5, 27))
        );
        // Friday + 1 working day is Monday.
        assert_eq!(
            add(date(2026, 6, 12), d(1, DurationUnit::WorkingDays)),
            Some(date(2026, 6, 15))
        );
        assert_eq!(
            sub(date(2026, 6, 10), d(2, DurationUnit::Weeks)),
            Some(date(2026, 5, 27))
        );
        assert_eq!(
            sub(date(2030, 12, 31), d(30, DurationUnit::CalendarDays)),
            Some(date(2030, 12, 1))
        );
        assert_eq!(
            add(date(2026, 1, 1), d(u32::MAX, DurationUnit::WorkingDays)),
            None
        );
    }

    #[test]
    fn overflow_is_none_not_a_panic() {
        assert_eq!(add(date(9999, 12, 31), d(1, DurationUnit::Days)), None);
        assert_eq!(
            add(date(2020, 1, 1), d(u32::MAX, DurationUnit::Years)),
            None
        );
    }
}
