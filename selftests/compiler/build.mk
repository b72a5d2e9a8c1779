AREAS := $(filter-out compiler,$(AREAS))
