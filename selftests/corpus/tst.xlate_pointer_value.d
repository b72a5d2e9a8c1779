/*
 * A translated pointer used as a value (curcpu is xlate<cpuinfo_t *>(cpu))
 * points to the whole translation, built in scratch memory as DTrace
 * does: it is not NULL, can be kept in a variable and cast to an integer,
 * and its members read back what the translator gave them; each use is a
 * translation of its own.
 */
#pragma D option quiet

BEGIN
{
	this->p = curcpu;
	this->q = curcpu;
	printf("%d %d %d %d %d\n", this->p->cpu_id == cpu, this->q->cpu_id == cpu,
	    this->p != 0, (int64_t)curcpu != 0, curcpu->cpu_id == cpu);
	exit(0);
}
