//! Graph algorithms shared by the checks and the engine: strongly
//! connected components of a directed graph given as adjacency lists.

/// Tarjan's strongly connected components, with explicit stacks (a chain
/// of 100,000 nodes cannot exhaust the call stack). `edges[n]` lists the
/// edges leaving node `n`; `target` reads the node an edge goes to
/// (targets out of range are ignored). Components come out in reverse
/// topological order: every edge leaving a component goes to one listed
/// before it.
pub fn strongly_connected<E>(edges: &[Vec<E>], target: impl Fn(&E) -> usize) -> Vec<Vec<usize>> {
    const NONE: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low) = (vec![NONE; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    // The depth-first path: each node with the index of its next edge.
    let mut path: Vec<(usize, usize)> = Vec::new();
    let mut counter = 0;
    let mut components = Vec::new();
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        path.push((root, 0));
        while let Some(top) = path.last_mut() {
            let node = top.0;
            if let Some(edge) = edges[node].get(top.1) {
                top.1 += 1;
                let next = target(edge);
                if next >= n {
                    continue;
                }
                if index[next] == NONE {
                    index[next] = counter;
                    low[next] = counter;
                    counter += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    path.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            path.pop();
            if let Some(&(parent, _)) = path.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut members = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    members.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(members);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut components: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        for c in &mut components {
            c.sort_unstable();
        }
        components
    }

    #[test]
    fn a_cycle_is_one_component_and_sinks_come_first() {
        // 0 → 1 → 2 → 0, 2 → 3, 4 alone.
        let edges = vec![vec![1], vec![2], vec![0, 3], vec![], vec![]];
        let components = sorted(strongly_connected(&edges, |&t| t));
        assert_eq!(components, vec![vec![3], vec![0, 1, 2], vec![4]]);
    }

    #[test]
    fn a_long_chain_needs_no_call_stack() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        let components = strongly_connected(&edges, |&t| t);
        assert_eq!(components.len(), n);
        // The end of the chain is its sink: listed first.
        assert_eq!(components[0], vec![n - 1]);
    }
}
