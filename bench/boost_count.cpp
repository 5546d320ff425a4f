// boost_count.cpp - counts elementary cycles with Boost.Graph (the
// benchmark's C++ reference).
// Usage: boost_count hawick|tiernan [--max-len N] FILE
// FILE: "n m" then m lines "u v"; parallel edges merge, self-loops drop.
//
// Boost 1.74 (Debian 12): hawick_circuits(g, visitor) has no length bound
// (a max_length argument arrived in a later Boost); tiernan_all_cycles has
// the overload tiernan_all_cycles(g, visitor, maxlen) and counts cycles of
// 2..maxlen vertices. The visitors only count.
#include <boost/graph/adjacency_list.hpp>

typedef boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>
    Graph;

namespace boost {
// tiernan_all_cycles checks VertexIndexGraphConcept, which in Boost 1.74
// calls renumber_vertex_indices(g); only boost::directed_graph (list-based,
// slower) defines it. With vecS the indices are always 0..n-1, so there is
// nothing to renumber: a no-op lets both algorithms run on the same graph.
inline void renumber_vertex_indices(Graph &) {}
} // namespace boost

#include <boost/graph/hawick_circuits.hpp>
#include <boost/graph/tiernan_all_cycles.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

struct counter {
    std::uint64_t *count;
    template <typename Path, typename G>
    void cycle(const Path &, const G &) { ++*count; }
};

int main(int argc, char **argv)
{
    const char *algo = nullptr, *path = nullptr;
    std::size_t max_len = 0;
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--max-len") && i + 1 < argc)
            max_len = std::strtoul(argv[++i], nullptr, 10);
        else if (!algo)
            algo = argv[i];
        else
            path = argv[i];
    }
    if (!algo || !path ||
        (std::strcmp(algo, "hawick") && std::strcmp(algo, "tiernan"))) {
        std::fprintf(stderr,
                     "usage: boost_count hawick|tiernan [--max-len N] FILE\n");
        return 2;
    }
    if (max_len && !std::strcmp(algo, "hawick")) {
        std::fprintf(stderr, "hawick_circuits has no length bound in this "
                             "Boost\n");
        return 2;
    }
    FILE *f = std::fopen(path, "r");
    unsigned long n, m;
    if (!f || std::fscanf(f, "%lu %lu", &n, &m) != 2) {
        std::fprintf(stderr, "%s: cannot read\n", path);
        return 2;
    }
    std::vector<std::pair<unsigned long, unsigned long>> es;
    for (unsigned long i = 0; i < m; i++) {
        unsigned long u, v;
        if (std::fscanf(f, "%lu %lu", &u, &v) != 2 || u >= n || v >= n) {
            std::fprintf(stderr, "%s: bad edge\n", path);
            return 2;
        }
        if (u != v)
            es.emplace_back(u, v);
    }
    std::fclose(f);
    std::sort(es.begin(), es.end());
    es.erase(std::unique(es.begin(), es.end()), es.end());
    Graph g(n);
    for (auto &e : es)
        boost::add_edge(e.first, e.second, g);

    std::uint64_t count = 0;
    counter vis{&count};
    if (!std::strcmp(algo, "hawick"))
        boost::hawick_circuits(g, vis);
    else if (max_len)
        boost::tiernan_all_cycles(g, vis, max_len);
    else
        boost::tiernan_all_cycles(g, vis);
    std::printf("%llu\n", (unsigned long long)count);
    return 0;
}
