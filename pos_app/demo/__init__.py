"""Demo data: the two demo stores a device opens with (`store`), their catalog made by code
(`catalog`, from the word lists in `words`) and their clienteling book (`customers`).

For people trying Storeline, the tests and the benchmarks; nothing on a production till's sale
path imports it.
"""
