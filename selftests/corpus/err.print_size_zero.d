/* print() of a pointer to a type of size 0 (a flexible array only): DTrace's D_PRINT_SIZE */
BEGIN
{
	print((struct bpf_raw_tracepoint_args *)arg0);
}
