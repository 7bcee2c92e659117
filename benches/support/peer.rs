//! The peer benchmark workload of `shared/bench/gen_peer.py`, ported
//! exactly (same generator, same output) so that figures compare with the
//! Cedar measurements: 80% exact permits, 10% forbids on exclusive
//! licences in a territory, 10% portfolio-wide (tag) licence permits.

const ACTIONS: [&str; 3] = ["sublicense", "license", "assign"];
const FIELDS: [&str; 4] = ["ev", "med", "agri", "ict"];
const TERR: [&str; 4] = ["eu", "us", "apac", "row"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut s = self.0;
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        self.0 = s;
        s
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The policy text of `n` clauses and `m` actions as NDJSON lines.
pub fn generate(n: usize, m: usize) -> (String, Vec<String>) {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    let parties = (n.max(10) / 5) as u64;
    let assets = n.max(10) as u64;
    let mut lines = vec![
        "agreement \"Peer benchmark\" {".to_string(),
        "  effective 2020-01-01".to_string(),
        "  expires 2040-12-31".to_string(),
        "}".to_string(),
    ];
    lines.extend((0..parties).map(|i| format!("party p{i} \"Party {i}\"")));
    lines.push(format!("fields {{ {} }}", FIELDS.join(", ")));
    lines.push(format!("territories {{ {} }}", TERR.join(", ")));
    lines.extend((0..assets).map(|a| {
        format!(
            "asset a{a} {{ class foreground owner p{} tags pf{} }}",
            a % parties,
            a % 50
        )
    }));
    for i in 0..n {
        let p = r.below(parties);
        let a = r.below(assets);
        let act = ACTIONS[r.below(3) as usize];
        let f = FIELDS[r.below(4) as usize];
        let t = TERR[r.below(4) as usize];
        lines.push(match i % 10 {
            0 => format!("clause c{i} {{ forbid {act} of a{a} territory {t} when exclusive }}"),
            1 => format!(
                "clause c{i} {{ permit license, sublicense of tagged pf{} by p{p} field {f} unless exclusive }}",
                a % 50
            ),
            _ => format!("clause c{i} {{ permit {act} of a{a} by p{p} field {f} territory {t} }}"),
        });
    }
    let policy = lines.join("\n") + "\n";
    let actions = (0..m)
        .map(|_| {
            let f = FIELDS[r.below(4) as usize];
            let t = TERR[r.below(4) as usize];
            let ex = r.below(2) == 0;
            let actor = r.below(parties);
            let verb = ACTIONS[r.below(3) as usize];
            let asset = r.below(assets);
            format!(
                "{{\"actor\": \"p{actor}\", \"verb\": \"{verb}\", \"asset\": \"a{asset}\", \"to\": \"outsider\", \"field\": \"{f}\", \"territory\": \"{t}\", \"exclusive\": {ex}, \"date\": \"2026-01-01\"}}"
            )
        })
        .collect();
    (policy, actions)
}
