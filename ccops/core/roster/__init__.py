"""Roster optimisation: who works which shift on which day, by CP-SAT.

`problem` states a rostering problem; `model` builds its CP-SAT model from one builder
per family of rules, each returning the named penalty terms it adds; `solve` runs it
under a time limit and returns a `RosterResult`. `curtois` reads the Shift Scheduling
Benchmark format into the same problem; `checker` scores a roster by that benchmark's
official definition, independently of the model.
"""
