package dev.mlsuite.vision.mesh;

/**
 * A regular grid of sample points {@code origin + voxelSize * (i, j, k)} with
 * {@code 0 <= i < sizeX} and so on; point {@code (i, j, k)} has index {@code (k * sizeY + j) * sizeX + i}.
 */
public record VoxelGrid(double[] origin, double voxelSize, int sizeX, int sizeY, int sizeZ) {

    public VoxelGrid {
        if (!(voxelSize > 0) || sizeX < 2 || sizeY < 2 || sizeZ < 2) {
            throw new IllegalArgumentException("A voxel grid needs voxelSize > 0 and at least 2 points per axis, got "
                    + voxelSize + ", " + sizeX + "x" + sizeY + "x" + sizeZ);
        }
        origin = origin.clone();
    }

    /**
     * Returns the grid that covers the box [boxMin, boxMax] with {@code resolution} voxels along its
     * longest side.
     */
    public static VoxelGrid covering(double[] boxMin, double[] boxMax, int resolution) {
        double longest = 0;
        for (int axis = 0; axis < 3; axis++) {
            longest = Math.max(longest, boxMax[axis] - boxMin[axis]);
        }
        if (!(longest > 0)) {
            throw new IllegalArgumentException("The box to cover is empty");
        }
        double voxelSize = longest / resolution;
        int[] size = new int[3];
        for (int axis = 0; axis < 3; axis++) {
            size[axis] = Math.max(2, (int) Math.ceil((boxMax[axis] - boxMin[axis]) / voxelSize) + 1);
        }
        return new VoxelGrid(boxMin, voxelSize, size[0], size[1], size[2]);
    }

    public long pointCount() {
        return (long) sizeX * sizeY * sizeZ;
    }

    public int index(int i, int j, int k) {
        return (k * sizeY + j) * sizeX + i;
    }
}
