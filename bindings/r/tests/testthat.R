library(testthat)
library(rfscore)
test_check("rfscore")
