//! Three-valued (Kleene) logic: true, false, unknown.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tri {
    False,
    Unknown,
    True,
}

impl std::ops::Not for Tri {
    type Output = Tri;

    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

impl Tri {
    /// Kleene conjunction: the minimum with False < Unknown < True.
    pub fn and(self, other: Tri) -> Tri {
        self.min(other)
    }

    /// Kleene disjunction: the maximum.
    pub fn or(self, other: Tri) -> Tri {
        self.max(other)
    }

    /// Folds a conjunction; the empty conjunction is true.
    pub fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut result = Tri::True;
        for t in items {
            result = result.and(t);
            if result == Tri::False {
                break;
            }
        }
        result
    }

    /// Folds a disjunction; the empty disjunction is false.
    pub fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut result = Tri::False;
        for t in items {
            result = result.or(t);
            if result == Tri::True {
                break;
            }
        }
        result
    }

    /// Known facts become True/False; a missing one is Unknown.
    pub fn from_option(value: Option<bool>) -> Tri {
        match value {
            Some(true) => Tri::True,
            Some(false) => Tri::False,
            None => Tri::Unknown,
        }
    }
}

impl From<bool> for Tri {
    fn from(value: bool) -> Tri {
        if value { Tri::True } else { Tri::False }
    }
}

impl PartialOrd for Tri {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Tri {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::{self, *};

    #[test]
    fn kleene_truth_tables() {
        let all = [False, Unknown, True];
        for a in all {
            for b in all {
                assert_eq!(!a.and(b), (!a).or(!b), "de Morgan {a:?} {b:?}");
            }
            assert_eq!(!!a, a);
        }
        assert_eq!(Unknown.and(False), False);
        assert_eq!(Unknown.or(True), True);
        assert_eq!(Unknown.and(True), Unknown);
        assert_eq!(Tri::all([]), True);
        assert_eq!(Tri::any([]), False);
    }
}
