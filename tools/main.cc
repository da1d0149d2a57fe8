#include <cstdio>
int main() { std::puts("trafnet: under construction"); return 0; }
