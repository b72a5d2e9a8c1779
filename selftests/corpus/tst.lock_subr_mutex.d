/*
 * mutex_owned(), mutex_owner(), mutex_type_adaptive(), mutex_type_spin()
 * on the mutexes the kernel locks: on entry to mutex_lock() (or
 * mutex_lock_nested() of a lockdep kernel) the calling thread cannot hold
 * the mutex yet (it would deadlock); on return it holds it.  Every firing's
 * values are folded into min/max, so one wrong value shows.
 */
#pragma D option quiet
#pragma D option aggsortkey

fbt::mutex_lock:entry,
fbt::mutex_lock_nested:entry
/!self->m/
{
	self->m = arg0;
	@lo["entry owned"] = min(mutex_owned((struct mutex *)self->m));
	@hi["entry owned"] = max(mutex_owned((struct mutex *)self->m));
	@lo["entry owner is curthread"] = min(mutex_owner((struct mutex *)self->m) == curthread);
	@hi["entry owner is curthread"] = max(mutex_owner((struct mutex *)self->m) == curthread);
}

fbt::mutex_lock:return,
fbt::mutex_lock_nested:return
/self->m/
{
	@lo["return owned"] = min(mutex_owned((struct mutex *)self->m));
	@hi["return owned"] = max(mutex_owned((struct mutex *)self->m));
	@lo["return owner is curthread"] = min(mutex_owner((struct mutex *)self->m) == curthread);
	@hi["return owner is curthread"] = max(mutex_owner((struct mutex *)self->m) == curthread);
	@lo["adaptive"] = min(mutex_type_adaptive((struct mutex *)self->m));
	@hi["adaptive"] = max(mutex_type_adaptive((struct mutex *)self->m));
	@lo["spin"] = min(mutex_type_spin((struct mutex *)self->m));
	@hi["spin"] = max(mutex_type_spin((struct mutex *)self->m));
	self->m = 0;
	n++;
}

fbt::mutex_lock:return,
fbt::mutex_lock_nested:return
/n >= 20/
{
	exit(0);
}

END
{
	printa("%-26s %@d..%@d\n", @lo, @hi);
}
